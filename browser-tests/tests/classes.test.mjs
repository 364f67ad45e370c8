// Classes: the instructor takes attendance on a phone, and the roster shows the result.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, INSTRUCTOR, ORG, browserTest, signIn, h1 } from '../harness.mjs';

const PHONE = { width: 390, height: 844 };
const RUNNING = 'Escalation drill: when a post goes wrong';

browserTest('instructor takes attendance at phone width and the result shows', async (page) => {
  await signIn(page, INSTRUCTOR);
  await page.goto(`/o/${ORG}/classes`);
  await h1(page).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'classes-list-390.png'), fullPage: true });
  const session = page.getByRole('main').getByRole('link', { name: RUNNING });
  await Promise.all([page.waitForURL(/\/classes\/\d+$/), session.click()]);
  await Promise.all([
    page.waitForURL(/\/attendance$/),
    page.getByRole('link', { name: 'Take attendance' }).click(),
  ]);
  const rows = page.locator('fieldset.roster-row');
  const n = await rows.count();
  assert.ok(n >= 3, `expected people on the roster, found ${n}`);
  // Tap targets are large enough for a thumb.
  const box = await rows.first().getByText('Present', { exact: true }).boundingBox();
  assert.ok(box && box.height >= 44, `tap target too small: ${JSON.stringify(box)}`);
  // Everyone present except the last, who is absent; each tap is saved by the page's script.
  for (let i = 0; i < n; i += 1) {
    const label = i === n - 1 ? 'Absent' : 'Present';
    await rows.nth(i).getByText(label, { exact: true }).click();
    await rows.nth(i).and(page.locator('.saved')).waitFor();
  }
  await page.screenshot({ path: join(ARTIFACTS, 'classes-roster-390.png'), fullPage: true });
  // The saved marks are there after a reload, without relying on the script.
  await page.reload();
  await page.locator('#roster-count').waitFor();
  assert.equal((await page.locator('#roster-count').innerText()).trim(), `${n - 1} / ${n} present`);
  assert.equal(await page.locator('input[value="present"]:checked').count(), n - 1);
  // The Save button works on its own too: change the last person and submit the form.
  await rows.nth(n - 1).getByText('Present', { exact: true }).click();
  await rows.nth(n - 1).and(page.locator('.saved')).waitFor();
  await Promise.all([
    page.waitForURL(/attendance\?done=attendance-saved/),
    page.getByRole('button', { name: 'Save attendance' }).click(),
  ]);
  await page.getByRole('status').filter({ hasText: 'Attendance saved.' }).waitFor();
  assert.equal((await page.locator('#roster-count').innerText()).trim(), `${n} / ${n} present`);
  // The session page shows the marks to the instructor.
  await page.getByRole('main').getByRole('link', { name: RUNNING }).click();
  await page.waitForURL(/\/classes\/\d+$/);
  assert.equal(await page.getByRole('cell', { name: 'Present', exact: true }).count(), n);
  await page.screenshot({ path: join(ARTIFACTS, 'classes-session-390.png'), fullPage: true });
}, { viewport: PHONE });

browserTest('the public catalogue shows open sessions at desktop width', async (page) => {
  await page.goto('/catalogue/harbour-academy');
  await h1(page).waitFor();
  assert.match(await h1(page).innerText(), /Open classes at Harbour Training Academy/);
  await page.getByRole('link', { name: 'Community management in practice' }).click();
  await page.waitForURL(/\/catalogue\/harbour-academy\/\d+$/);
  await page.getByText('Full: new registrations join the waitlist').first().waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'classes-public-1280.png'), fullPage: true });
});
