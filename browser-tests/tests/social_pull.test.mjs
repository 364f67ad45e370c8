// Live pulls: the admin's schedule page, paused, resumed and rescheduled from the keyboard.
// The demo's schedules point at a local address and nothing here presses "Pull now".

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, ADMIN, LEARNER, ORG, browserTest, signIn, h1 } from '../harness.mjs';

browserTest('admin sees the pull schedules and pauses then resumes one', async (page) => {
  await signIn(page, ADMIN);
  await page.goto(`/o/${ORG}/social/accounts`);
  await Promise.all([page.waitForURL(/\/social\/pulls$/), page.getByRole('link', { name: 'Live pulls' }).click()]);
  assert.equal((await h1(page).innerText()).trim(), 'Live pulls');
  const table = page.getByRole('table', { name: 'Live pulls' });
  await table.waitFor();
  assert.ok((await table.getByRole('row').count()) > 5, 'the demo accounts are scheduled');
  await table.getByText('paused').first().waitFor();
  await table.getByText('failed').first().waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'social-pulls-1280.png') });

  const pause = table.getByRole('button', { name: /^Pause / }).first();
  const handle = (await pause.innerText()).replace(/^Pause\s*/, '').trim();
  await Promise.all([page.waitForURL(/done=social-pull-paused/), pause.click()]);
  await page.getByText('Scheduled pulls of the account are paused.').waitFor();
  const resume = table.getByRole('button', { name: `Resume ${handle}`, exact: true });
  await Promise.all([page.waitForURL(/done=social-pull-resumed/), resume.click()]);
  await page.getByText('Scheduled pulls of the account are resumed; it is due now.').waitFor();
  await table.getByRole('button', { name: `Pause ${handle}`, exact: true }).waitFor();

  // The account's schedule: opened from the keyboard, a new interval saved.
  const row = table.getByRole('row').filter({ has: page.getByRole('button', { name: `Pause ${handle}`, exact: true }) });
  const summary = row.locator('summary');
  await summary.focus();
  await page.keyboard.press('Enter');
  const minutes = row.getByLabel('Minutes between pulls (5 to 10,080)');
  await minutes.fill('120');
  await row.screenshot({ path: join(ARTIFACTS, 'social-pulls-schedule.png') });
  await Promise.all([
    page.waitForURL(/done=social-pull-scheduled/),
    row.getByRole('button', { name: `Save schedule ${handle}`, exact: true }).click(),
  ]);
  await page.getByText('The schedule is saved').waitFor();
  await table.getByRole('row').filter({ hasText: handle }).getByText('every 120 min').waitFor();
});

browserTest('the pulls page reads well on a phone', async (page) => {
  await signIn(page, ADMIN);
  await page.goto(`/o/${ORG}/social/pulls`);
  await page.getByRole('table', { name: 'Live pulls' }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'social-pulls-390.png'), fullPage: false });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
  const schedule = page.locator('details.social-pull-schedule').first();
  await schedule.locator('summary').click();
  await schedule.getByRole('button', { name: /^Save schedule/ }).waitFor();
  await schedule.screenshot({ path: join(ARTIFACTS, 'social-pulls-schedule-390.png') });
  const open = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(open <= 1, `with a schedule open the page scrolls sideways by ${open}px`);
}, { viewport: { width: 390, height: 844 } });

browserTest('a learner cannot open the pulls page', async (page) => {
  await signIn(page, LEARNER);
  const r = await page.goto(`/o/${ORG}/social/pulls`);
  assert.equal(r.status(), 403);
});
