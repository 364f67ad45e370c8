// Certification: an instructor grades a capstone in the queue and the learner's credential
// appears, verifiable on its public page.

import assert from 'node:assert/strict';
import { INSTRUCTOR, LEARNER, ORG, browserTest, signIn, h1 } from '../harness.mjs';

const CAPSTONE = 'Northwind trail-running community: a three-month social plan';
const CRITERIA = [
  'Business goal and measurable KPI',
  'Audience and channel choice',
  'Content and community plan',
  'Risk, policy and escalation',
  'Measurement and reporting',
];

browserTest('an instructor passes a capstone and the learner holds a verifiable credential', async (page) => {
  await signIn(page, INSTRUCTOR);
  await page.goto(`/o/${ORG}/capstones`);
  const link = page.getByRole('link', { name: CAPSTONE });
  await Promise.all([page.waitForURL(/\/capstones\/\d+$/), link.click()]);
  assert.equal((await h1(page).innerText()).trim(), CAPSTONE);
  for (const name of CRITERIA) {
    await page.getByRole('group', { name }).getByLabel('3 · Excellent').check();
  }
  await page.getByLabel('Feedback').fill('A clear goal, a real KPI and a sound escalation plan.');
  await page.getByLabel('Pass', { exact: true }).check();
  await Promise.all([
    page.waitForURL(/done=saved/),
    page.getByRole('button', { name: 'Save the grade' }).click(),
  ]);
  await page.getByText('Passed').first().waitFor();

  await page.context().clearCookies();
  await signIn(page, LEARNER);
  await page.goto(`/o/${ORG}/credentials`);
  const cred = page.getByRole('main').getByRole('link', { name: 'Social Media Manager' });
  await Promise.all([page.waitForURL(/\/credentials\/[0-9a-f-]{36}$/), cred.click()]);
  const verdict = page.getByRole('heading', { name: 'Valid', level: 2 });
  await verdict.waitFor();
  await page.getByRole('link', { name: 'Add to LinkedIn profile' }).waitFor();
  await page.getByRole('img', { name: 'QR code' }).waitFor();
  const json = await page.request.get(page.url() + '/json');
  const doc = await json.json();
  assert.deepEqual(doc.type, ['VerifiableCredential', 'OpenBadgeCredential']);
  assert.equal(doc.proof.cryptosuite, 'eddsa-rdfc-2022');
  assert.match(JSON.stringify(doc.evidence), /trail-running/);
});

browserTest('a learner takes the written exam and sees the result with feedback', async (page) => {
  await signIn(page, LEARNER);
  await page.goto(`/o/${ORG}/programmes`);
  const programme = page.getByRole('main').getByRole('link', { name: 'Social Media Strategist' }).first();
  await Promise.all([page.waitForURL(/\/programmes\/\d+$/), programme.click()]);
  await page.getByRole('heading', { name: 'Written exam', level: 2 }).waitFor();
  await Promise.all([page.waitForURL(/\/exam$/), page.getByRole('link', { name: 'Go to the exam' }).click()]);
  await page.getByText('pass with at least 75%').waitFor();
  await Promise.all([
    page.waitForURL(/\/exam\/\d+$/),
    page.getByRole('button', { name: /^Start/ }).click(),
  ]);
  await page.getByText('Submit by').waitFor();
  const groups = page.locator('fieldset');
  const n = await groups.count();
  assert.ok(n >= 5, `exam questions shown (${n})`);
  for (let i = 0; i < n; i++) {
    const group = groups.nth(i);
    const selects = group.locator('select');
    const places = await selects.count();
    if (places > 0) {
      for (let j = 0; j < places; j++) await selects.nth(j).selectOption(String(j + 1));
    } else {
      await group.locator('input').first().check();
    }
  }
  await Promise.all([
    page.waitForURL(/\/exam\/\d+$/),
    page.getByRole('button', { name: 'Submit answers' }).click(),
  ]);
  const result = page.locator('#attempt-result');
  await result.waitFor();
  assert.match(await result.innerText(), /(Passed|Not passed) · \d+% \(.*75%\)/);
  assert.ok((await page.locator('.learning-result').count()) === n, 'feedback on every answer');
  // The programme page shows the latest result.
  await Promise.all([page.waitForURL(/\/programmes\/\d+$/), page.getByRole('link', { name: 'Continue' }).click()]);
  await page.locator('#exam-last').waitFor();
});
