// Social activity in the browser: a member reads the consent text and links an account, an admin
// uploads a small export and watches the progress to the end, and the member then sees their
// posts with totals on their activity page (at phone and desktop widths).

import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { browserTest, signIn, h1, tempDir, ARTIFACTS, ADMIN, LEARNER, ORG } from '../harness.mjs';

const HANDLE = '@browser_learner@example.social';
const TEXT = 'Loved the browser workshop today, thank you all!';

browserTest('a member reads the consent text and links an account', async (page) => {
  await signIn(page, LEARNER);
  await page.goto(`/o/${ORG}/me/accounts`);
  await page.getByRole('heading', { name: 'What linking an account means' }).waitFor();
  await page.getByLabel('Platform').selectOption('mastodon');
  await page.getByLabel('Handle').fill(HANDLE);
  await page.getByLabel(/I have read what Somu collects/).check();
  await page.getByRole('button', { name: 'Link the account' }).click();
  await page.getByRole('cell', { name: HANDLE, exact: true }).waitFor();
});

browserTest('an admin uploads an export and watches it import to the end', async (page) => {
  const lines = [];
  for (let i = 0; i < 40; i++) {
    lines.push(JSON.stringify({
      platform: 'mastodon', account: HANDLE, post_id: `browser-${i}`,
      created_at: `2026-03-${String(1 + (i % 28)).padStart(2, '0')}T09:00:00Z`,
      text: i === 0 ? TEXT : `Post number ${i} about the trail guide 🌲`,
      likes: i, reposts: 1, replies: 0, followers: 120,
    }));
  }
  const file = join(tempDir(), 'browser-posts.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  await signIn(page, ADMIN);
  await page.goto(`/o/${ORG}/social/accounts`);
  await page.getByLabel('Export file').setInputFiles(file);
  await page.getByRole('button', { name: 'Check and import' }).click();
  await page.waitForURL(/\/jobs\/\d+$/);
  // The progress indicator is shown while running; the page refreshes itself until done.
  await page.locator('#job-status[data-status="done"]').waitFor({ timeout: 30_000 });
  await page.getByText('40 posts: 40 new').waitFor();
});

for (const width of [390, 1280]) {
  browserTest(`the member sees their activity with totals at ${width} px`, async (page) => {
    await signIn(page, LEARNER);
    await page.goto(`/o/${ORG}/me/activity?platform=mastodon`);
    await h1(page).waitFor();
    assert.match(await h1(page).innerText(), /My social activity/);
    const posts = Number(await page.locator('#total-posts').innerText());
    assert.ok(posts >= 40, `posts total ${posts}`);
    await page.getByRole('link', { name: 'Download these posts as CSV' }).waitFor();
    // Filtering by period narrows the list without JavaScript.
    await page.getByLabel('From', { exact: true }).fill('2026-03-01');
    await page.getByLabel('To', { exact: true }).fill('2026-03-01');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL(/from=2026-03-01/);
    assert.equal(await page.locator('#total-posts').innerText(), '2');
    // The imported post is on the first page once the period holds only its day (unfiltered,
    // the newest posts come first and the demo's recent ones fill the first page).
    await page.getByText(TEXT).first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, `social-activity-${width}.png`), fullPage: true });
  }, { viewport: { width, height: 900 } });
}
