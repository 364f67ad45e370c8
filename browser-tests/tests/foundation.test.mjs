// Foundation: signing in, organisations, people and the HR import, as a person clicks through them.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, ADMIN, INSTRUCTOR, LEARNER, ORG, browserTest, signIn, mainNav, h1, searchPeople, csvFile, uploadCsv } from '../harness.mjs';

browserTest('admin signs in and lands on the organisation start page', async (page) => {
  await signIn(page, ADMIN);
  await h1(page).waitFor();
  assert.match(await h1(page).innerText(), /Welcome/);
  assert.match(new URL(page.url()).pathname, new RegExp(`^/o/${ORG}/?$`));
});

browserTest('instructor switches between organisations', async (page) => {
  await signIn(page, INSTRUCTOR);
  await page.goto('/home');
  const orgs = page.getByRole('main').getByRole('list');
  await orgs.getByRole('link', { name: 'Northwind Outdoor' }).waitFor();
  await orgs.getByRole('link', { name: 'Harbour Training Academy' }).waitFor();

  for (const name of ['Northwind Outdoor', 'Harbour Training Academy']) {
    await page.getByRole('banner').getByRole('link', { name: 'My organisations' }).click();
    await page.waitForURL(/\/home$/);
    await Promise.all([
      page.waitForURL(/\/o\/[^/]+\/?$/),
      page.getByRole('main').getByRole('link', { name, exact: true }).click(),
    ]);
    const header = page.getByRole('banner');
    assert.equal((await header.locator('.org-name').innerText()).trim(), name);
    await header.getByRole('link', { name, exact: true }).waitFor();
  }
});

browserTest('admin finds a person by name and opens their page', async (page) => {
  await signIn(page, ADMIN);
  const rows = await searchPeople(page, 'Leo');
  const leo = rows.getByRole('link', { name: 'Leo Learner', exact: true });
  await leo.waitFor();
  await Promise.all([page.waitForURL(/\/people\/\d+$/), leo.click()]);
  assert.equal((await h1(page).innerText()).trim(), 'Leo Learner');
});

browserTest('a CSV with bad rows is refused whole, every problem listed', async (page) => {
  await signIn(page, ADMIN);
  const path = csvFile('bad-people.csv', [
    'email,name,audience',
    'good@example.com,Good Row,practitioner',
    'not-an-email,Bad Row,practitioner',
    'ok@example.com,Ok,ceo',
  ]);
  await uploadCsv(page, path);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const text = await alert.innerText();
  // One problem per bad line, each naming the line and the field at fault.
  assert.match(text, /line 3\b[^\n]*email/i, `alert should blame line 3's email:\n${text}`);
  assert.match(text, /line 4\b[^\n]*audience/i, `alert should blame line 4's audience:\n${text}`);
  assert.doesNotMatch(text, /line 2\b/, `line 2 is fine:\n${text}`);
  assert.match(text, /Nothing was changed/);
  assert.equal(await page.getByRole('button', { name: 'Import', exact: true }).count(), 1, 'the mapping form stays usable');

  for (const name of ['Bad Row', 'Good Row']) {
    const rows = await searchPeople(page, name);
    assert.equal(await rows.getByRole('row').count(), 0, `"${name}" must not have been imported`);
    assert.match(await page.locator('#people-count').innerText(), /\b0\b|no /i);
  }
});

browserTest('a good CSV imports with progress, and the people are then found', async (page) => {
  await signIn(page, ADMIN);
  const people = [
    ['ada.importtest@example.com', 'Ada Importtest', 'practitioner'],
    ['ben.importtest@example.com', 'Ben Importtest', 'management'],
    ['cleo.importtest@example.com', 'Cleo Importtest', 'observer'],
  ];
  const path = csvFile('good-people.csv', ['email,name,audience', ...people.map((p) => p.join(','))]);
  await uploadCsv(page, path);
  const ready = page.getByRole('status').filter({ hasText: 'ready to import' });
  assert.match(await ready.innerText(), /\b3 rows\b/);
  assert.equal(await page.getByRole('alert').count(), 0, 'a good file shows no errors');

  await Promise.all([
    page.waitForURL(/\/jobs\/\d+$/),
    page.getByRole('button', { name: 'Import', exact: true }).click(),
  ]);
  // While running, the page reloads itself every second; wait until it stops running.
  const status = page.locator('#job-status:not([data-status="running"])');
  await status.waitFor({ timeout: 30_000 });
  assert.equal(await status.getAttribute('data-status'), 'done', await status.innerText());
  assert.match(await status.innerText(), /Finished: 3 created/);

  const rows = await searchPeople(page, 'Importtest');
  for (const [, name] of people) await rows.getByRole('link', { name, exact: true }).waitFor();
  assert.equal(await rows.getByRole('row').count(), people.length);
});

browserTest('a learner may not open the people list', async (page) => {
  await signIn(page, LEARNER);
  const response = await page.goto(`/o/${ORG}/people`);
  assert.equal(response.status(), 403);
  const body = await page.getByRole('main').innerText();
  assert.match(body, /You are not allowed/);
  assert.match(body, /403/);
  assert.equal(await page.getByRole('table').count(), 0, 'no people table is shown');
});

// Screenshots for a person to look at (artifacts/people-phone.png, people-desktop.png). The test
// only fails if the page does not render; layout overflow is reported as a diagnostic.
for (const [label, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 800 }]]) {
  browserTest(`people list screenshot at ${label} width`, async (page, t) => {
    await signIn(page, ADMIN);
    await page.goto(`/o/${ORG}/people`);
    await page.getByRole('table').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, `people-${label}.png`), fullPage: true });
    const m = await page.evaluate(() => {
      const wrap = document.querySelector('.table-wrap');
      return {
        pageWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        tableWidth: wrap ? wrap.scrollWidth : 0,
        wrapWidth: wrap ? wrap.clientWidth : 0,
      };
    });
    if (m.pageWidth > m.innerWidth) t.diagnostic(`page scrolls sideways at ${label} width: ${m.pageWidth}px wide in a ${m.innerWidth}px window`);
    if (m.tableWidth > m.wrapWidth) t.diagnostic(`people table is clipped at ${label} width: ${m.tableWidth}px of content in a ${m.wrapWidth}px box (scrolls sideways)`);
  }, { viewport });
}
