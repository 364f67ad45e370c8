// Live pulls: the admin's schedule page, paused and resumed from the keyboard-reachable buttons.
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
});

browserTest('the pulls page reads well on a phone', async (page) => {
  await signIn(page, ADMIN);
  await page.goto(`/o/${ORG}/social/pulls`);
  await page.getByRole('table', { name: 'Live pulls' }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'social-pulls-390.png'), fullPage: false });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
}, { viewport: { width: 390, height: 844 } });

browserTest('a learner cannot open the pulls page', async (page) => {
  await signIn(page, LEARNER);
  const r = await page.goto(`/o/${ORG}/social/pulls`);
  assert.equal(r.status(), 403);
});
