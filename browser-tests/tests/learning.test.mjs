// Learning: a learner reads a lesson, marks it done, takes a quiz and reads the feedback; a
// programme owner previews a lesson edit. Screenshots at phone and desktop widths.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, ADMIN, LEARNER, ORG, browserTest, signIn, mainNav } from '../harness.mjs';

async function takeLessonAndQuiz(page, width) {
  await signIn(page, LEARNER);
  await mainNav(page).getByRole('link', { name: 'Learn' }).waitFor();
  await page.goto(`/o/${ORG}/learn/catalogue`);
  await Promise.all([
    page.waitForURL(/\/learn\/courses\/learner-orientation$/),
    page.getByRole('link', { name: /^Learner orientation/ }).first().click(),
  ]);
  // The demo learner finished the first module: the course offers to resume after it.
  const doneBefore = Number((await page.locator('#course-progress').innerText()).split('/')[0].trim());
  await Promise.all([
    page.waitForURL(/\/learn\/courses\/learner-orientation\/[^/]+\/[^/]+$/),
    page.getByRole('link', { name: 'Resume' }).click(),
  ]);
  const title = (await page.locator('main > h1').innerText()).trim();
  assert.ok(title.length > 0);
  assert.ok((await page.locator('article.learning-lesson').innerText()).length > 300, 'the lesson has substance');
  await page.screenshot({ path: join(ARTIFACTS, `learning-lesson-${width}.png`), fullPage: true });
  await Promise.all([
    page.waitForURL(/\/learn\/courses\/learner-orientation\/[^/]+\/(quiz|[^/]+)$/),
    page.getByRole('button', { name: 'Mark as done' }).click(),
  ]);
  await page.goto(`/o/${ORG}/learn/courses/learner-orientation`);
  const doneAfter = Number((await page.locator('#course-progress').innerText()).split('/')[0].trim());
  assert.equal(doneAfter, doneBefore + 1, 'the lesson now counts as done');
  // The first module's quiz again: a new attempt, answered, then feedback explains each answer.
  const quizLink = page.getByRole('link', { name: /^Quiz:/ }).first();
  await Promise.all([page.waitForURL(/\/quiz$/), quizLink.click()]);
  await Promise.all([
    page.waitForURL(/\/quiz\/\d+$/),
    page.getByRole('button', { name: /Start a new attempt|Start the quiz|Continue/ }).click(),
  ]);
  for (const set of await page.locator('fieldset').all()) {
    const choices = set.locator('input[type=radio], input[type=checkbox]');
    if (await choices.count()) { await choices.first().check(); }
    const selects = set.locator('select');
    const n = await selects.count();
    for (let i = 0; i < n; i++) { await selects.nth(i).selectOption(String(i + 1)); }
    const text = set.locator('textarea');
    if (await text.count()) { await text.fill('I say that I work here and that the views are my own.'); }
  }
  await Promise.all([
    page.waitForURL(/\/quiz\/\d+$/),
    page.getByRole('button', { name: 'Submit answers' }).click(),
  ]);
  const result = page.getByRole('status').filter({ hasText: /Passed|Not passed|Waiting/ });
  await result.waitFor();
  const feedback = page.locator('.learning-feedback li');
  assert.ok(await feedback.count() > 0, 'feedback explains the answers');
  assert.ok((await feedback.first().innerText()).length > 20);
  await page.screenshot({ path: join(ARTIFACTS, `learning-quiz-result-${width}.png`), fullPage: true });
}

browserTest('a learner takes a lesson and a quiz and reads the feedback (desktop)', (page) => takeLessonAndQuiz(page, 1280));

browserTest('a learner takes a lesson and a quiz on a phone', (page) => takeLessonAndQuiz(page, 390),
  { viewport: { width: 390, height: 844 } });

browserTest('an admin previews a lesson edit before saving it', async (page) => {
  await signIn(page, ADMIN);
  await mainNav(page).getByRole('link', { name: 'Curriculum' }).click();
  await page.waitForURL(/\/curriculum$/);
  await page.screenshot({ path: join(ARTIFACTS, 'learning-curriculum-1280.png'), fullPage: true });
  await Promise.all([
    page.waitForURL(/\/curriculum\/courses\/social-media-foundations$/),
    page.getByRole('link', { name: /^Social media foundations/ }).first().click(),
  ]);
  await Promise.all([
    page.waitForURL(/\/edit\/[^/]+\/[^/]+$/),
    page.getByRole('link', { name: 'Edit' }).first().click(),
  ]);
  await page.getByLabel('Lesson text (Markdown)').fill('# A title the page shows\n\n## Preview check\n\nHello **{{org.name}}**.');
  await page.getByRole('button', { name: 'Preview' }).click();
  const preview = page.locator('.learning-preview');
  await preview.waitFor();
  assert.match(await preview.innerText(), /Preview check/);
  assert.match(await preview.innerText(), /Northwind Outdoor/);
});

browserTest('the lesson editor previews the Markdown while it is typed', async (page) => {
  await signIn(page, ADMIN);
  await page.goto(`/o/${ORG}/curriculum/courses/social-media-foundations`);
  await Promise.all([
    page.waitForURL(/\/edit\/[^/]+\/[^/]+$/),
    page.getByRole('link', { name: 'Edit' }).first().click(),
  ]);
  const preview = page.locator('#preview-body');
  // The script fills the preview as soon as the editor opens, then after each pause in typing.
  await page.waitForFunction(() => document.getElementById('preview-body').innerText.length > 100);
  await page.getByLabel('Lesson text (Markdown)').fill('# Title\n\n## Typed just now\n\nHello **{{org.name}}**.');
  await page.waitForFunction(() => document.getElementById('preview-body').innerText.includes('Typed just now'));
  assert.match(await preview.innerText(), /Northwind Outdoor/);
  assert.equal(await page.locator('#preview-body strong').first().innerText(), 'Northwind Outdoor');
  await page.screenshot({ path: join(ARTIFACTS, 'learning-live-preview-1280.png'), fullPage: true });
  // Nothing was saved: the lesson page is unchanged until Save draft.
  assert.match(page.url(), /\/edit\//);
});
