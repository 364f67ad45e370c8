// Analytics: the programme owner reads the results, enters costs, and a learner reads their own.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, ADMIN, LEARNER, ORG, browserTest, signIn, h1 } from '../harness.mjs';

browserTest('admin opens the results one-pager from the menu; every chart has its table', async (page) => {
  await signIn(page, ADMIN);
  await Promise.all([
    page.waitForURL(new RegExp(`/o/${ORG}/analytics$`)),
    page.getByRole('banner').getByRole('link', { name: 'Results' }).click(),
  ]);
  assert.equal((await h1(page).innerText()).trim(), 'Programme results');
  await page.getByRole('heading', { name: 'Is the programme working?' }).waitFor();
  const charts = await page.locator('svg.chart').count();
  const tables = await page.locator('.analytics-table table').count();
  assert.ok(tables >= charts, `${charts} charts, ${tables} tables`);
  assert.ok(!(await page.content()).includes('NaN'));
  await page.screenshot({ path: join(ARTIFACTS, 'analytics-leadership-1280.png'), fullPage: true });
});

browserTest('admin enters a negative cost, is told which field, then a good one', async (page) => {
  await signIn(page, ADMIN);
  const content = () => page.getByRole('group', { name: 'Programme costs', exact: true }).getByLabel('Content');
  await page.goto(`/o/${ORG}/analytics/inputs`);
  await content().fill('-10');
  await page.getByRole('button', { name: 'Save' }).click();
  assert.match(await page.content(), /cost-content/);
  await page.goto(`/o/${ORG}/analytics/inputs`);
  await content().fill('9500');
  await Promise.all([page.waitForURL(/done=saved/), page.getByRole('button', { name: 'Save' }).click()]);
  assert.equal(await content().inputValue(), '9500.00');
});

browserTest('learner reads their own influence and the definitions', async (page) => {
  await signIn(page, LEARNER);
  await page.goto(`/o/${ORG}/analytics/me`);
  assert.equal((await h1(page).innerText()).trim(), 'My influence');
  await page.locator('svg.chart').first().waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'analytics-me-390.png'), fullPage: true });
  await page.goto(`/o/${ORG}/analytics/help`);
  await page.getByText('warm score W = ER × warmth.').waitFor();
}, { viewport: { width: 390, height: 844 } });
