// Progress: a programme owner assigns a track to an audience, and a learner of that audience
// finds it on their learning home; pages screenshotted at phone and desktop widths.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, LEARNER, ORG, browserTest, signIn, h1 } from '../harness.mjs';

const OWNER = 'owner@northwind.example';
const TRACK = 'Infrastructure track: secure, lawful, well connected';

browserTest('a programme owner assigns a track to an audience and the learner sees it on their home', async (page) => {
  await signIn(page, OWNER);
  await page.goto(`/o/${ORG}/assignments`);
  await h1(page).waitFor();
  const form = page.locator('form[aria-labelledby="new-h"]');
  await form.getByLabel('What').selectOption({ label: TRACK });
  await form.getByLabel('Who').selectOption('audience');
  await form.getByLabel('Audience (when assigning to an audience)').selectOption('practitioner');
  await form.getByLabel('Due date', { exact: true }).selectOption('assigned');
  await form.getByLabel('Number of days').fill('21');
  await Promise.all([
    page.waitForURL(/\/assignments\?done=saved$/),
    form.getByRole('button', { name: 'Assign' }).click(),
  ]);
  await page.getByRole('cell', { name: new RegExp(TRACK.split(':')[0]) }).first().waitFor();

  await page.context().clearCookies();
  await signIn(page, LEARNER);
  await page.getByRole('banner').getByRole('link', { name: 'Learn' }).click();
  await page.waitForURL(new RegExp(`/o/${ORG}/learn$`));
  const todo = page.getByRole('region', { name: 'To do' });
  const item = todo.getByRole('listitem').filter({ has: page.getByRole('heading', { name: TRACK }) });
  await item.waitFor();
  assert.match(await item.innerText(), /Mandatory|Voluntary/);
  assert.match(await item.innerText(), /Due \d{4}-\d{2}-\d{2}/);
  await page.screenshot({ path: join(ARTIFACTS, 'progress-home-1280.png'), fullPage: true });
});

browserTest('the learner home reads on a phone', async (page) => {
  await signIn(page, LEARNER);
  await page.goto(`/o/${ORG}/learn`);
  await page.getByRole('region', { name: 'To do' }).waitFor();
  const resume = page.getByRole('link', { name: /Resume where you left off|Start/ }).first();
  await resume.waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling (page is ${width}px wide)`);
  await page.screenshot({ path: join(ARTIFACTS, 'progress-home-390.png'), fullPage: true });
}, { viewport: { width: 390, height: 844 } });

browserTest('the programme owner reads the funnel and the overdue list', async (page) => {
  await signIn(page, OWNER);
  await page.goto(`/o/${ORG}/progress`);
  await page.getByRole('heading', { name: 'Completion funnel' }).waitFor();
  await page.getByRole('img', { name: 'Completion funnel' }).waitFor();
  await page.getByRole('heading', { name: 'Overdue' }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'progress-programme-1280.png'), fullPage: true });
});

browserTest('assignments and cohorts read on a phone', async (page) => {
  await signIn(page, OWNER);
  for (const [path, name] of [[`/o/${ORG}/assignments`, 'assignments'], [`/o/${ORG}/cohorts/1`, 'cohort']]) {
    await page.goto(path);
    await h1(page).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, `progress-${name}-390.png`), fullPage: true });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `${name}: no sideways scrolling (page is ${width}px wide)`);
  }
}, { viewport: { width: 390, height: 844 } });
