// Surveys: a learner answers the survey waiting on their home page; the programme owner sees the
// anonymous aggregate, with the minimum group size rule visible on a small group.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, LEARNER, ORG, browserTest, signIn, h1 } from '../harness.mjs';

const OWNER = 'owner@northwind.example';

browserTest('a learner answers a survey from their home page', async (page) => {
  await signIn(page, LEARNER);
  await page.goto(`/o/${ORG}/learn`);
  const link = page.getByRole('link', { name: /A short survey about/ }).first();
  await link.waitFor();
  await Promise.all([page.waitForURL(/\/surveys\/\d+$/), link.click()]);
  await page.setViewportSize({ width: 390, height: 800 });
  await page.screenshot({ path: join(ARTIFACTS, 'surveys-form-390.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: join(ARTIFACTS, 'surveys-form-1280.png'), fullPage: true });
  // Sending with nothing chosen names the questions that need an answer.
  await page.getByRole('button', { name: 'Send my answers' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /q1[\s\S]*q2[\s\S]*q3/);
  const groups = page.getByRole('group');
  await groups.nth(0).getByRole('radio', { name: '4' }).check();
  await groups.nth(1).getByRole('radio', { name: '5, extremely' }).check();
  await groups.nth(2).getByRole('radio', { name: '9' }).check();
  await page.getByRole('textbox', { name: 'Your answer' }).fill('Clear and practical.');
  await Promise.all([page.waitForURL(/\/surveys\?done=/), page.getByRole('button', { name: 'Send my answers' }).click()]);
  assert.match(await page.getByRole('status').or(page.locator('.notice')).first().innerText(), /Thank you/);
  assert.match(await page.getByRole('main').innerText(), /Answered/);
});

browserTest('the programme owner sees anonymous aggregates and the group size rule', async (page) => {
  await signIn(page, OWNER);
  await page.goto(`/o/${ORG}/surveys/results`);
  assert.equal((await h1(page).innerText()).trim(), 'Survey results');
  const overview = page.locator('#surveys-overview');
  await overview.waitFor();
  const text = await overview.innerText();
  assert.match(text, /\d\.\d\d/, 'a mean rating is shown');
  assert.match(text, /Not enough responses to show without singling someone out/);
  await Promise.all([page.waitForURL(/object=/), overview.getByRole('link').first().click()]);
  assert.ok(await page.locator('svg.chart').count() > 0, 'distribution charts');
  assert.ok(await page.getByRole('table').count() > 1, 'a table beside each chart');
  assert.doesNotMatch(await page.getByRole('main').innerText(), /@northwind\.example/);
  await page.screenshot({ path: join(ARTIFACTS, 'surveys-results-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 800 });
  await page.screenshot({ path: join(ARTIFACTS, 'surveys-results-390.png'), fullPage: true });
  await page.goto(`/o/${ORG}/surveys/manage`);
  await page.getByRole('heading', { name: 'When surveys go out' }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'surveys-manage-390.png'), fullPage: true });
});
