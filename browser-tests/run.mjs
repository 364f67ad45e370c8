// Somu's browser tests: a person clicking through the web app in a real Chromium.
//
// Run from this directory with `node run.mjs` (see README.md). Nothing is built here: the somu
// binary comes from $SOMU_BIN (default ../target/release/somu, relative to this file). Each run
// starts `somu demo` in a fresh temporary directory, so its demo database is private to the run.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = join(HERE, 'artifacts');
const SOMU_BIN = process.env.SOMU_BIN ? resolve(process.env.SOMU_BIN) : resolve(HERE, '../target/release/somu');
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const PASSWORD = 'somu-demo-2026';
const ADMIN = 'admin@northwind.example';
const INSTRUCTOR = 'instructor@northwind.example';
const LEARNER = 'learner@northwind.example';
const ORG = 'northwind';

// Generous for a loaded two-core machine, far inside the three minutes the whole run may take.
const SERVER_START_MS = 30_000;
const STEP_MS = 15_000;
const TEST_MS = 45_000;

let server; // the somu child process
let workDir; // its temporary working directory (holds somu-demo.db)
let baseUrl; // e.g. http://127.0.0.1:41234
let browser;

mkdirSync(ARTIFACTS, { recursive: true });

/** Start `somu demo` in a fresh temp dir and resolve with the URL it prints. */
function startServer() {
  if (!existsSync(SOMU_BIN)) {
    throw new Error(`somu binary not found at ${SOMU_BIN}: build it (cargo build --release) or set SOMU_BIN`);
  }
  workDir = mkdtempSync(join(tmpdir(), 'somu-browser-'));
  const log = createWriteStream(join(ARTIFACTS, 'server.log'));
  server = spawn(SOMU_BIN, ['demo', '--bind', '127.0.0.1:0'], { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stderr.pipe(log);
  return new Promise((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`somu printed no URL within ${SERVER_START_MS} ms; stdout so far:\n${out}`)), SERVER_START_MS);
    server.stdout.on('data', (chunk) => {
      log.write(chunk);
      out += chunk.toString();
      const m = out.match(/Somu is listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1].replace(/\/$/, ''));
      }
    });
    server.on('error', (e) => { clearTimeout(timer); reject(e); });
    server.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`somu exited early (code ${code}, signal ${signal}); see artifacts/server.log`));
    });
  });
}

function stopServer() {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
  server = undefined;
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
}

// Whatever happens (a thrown error, Ctrl-C), the server does not outlive the run.
process.on('exit', stopServer);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { stopServer(); process.exit(130); });

before(async () => {
  baseUrl = await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  stopServer();
});

const slug = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/**
 * A test with its own browser context; on failure the page is saved to artifacts/<test-name>.png.
 * `viewport` lets one test choose its window size.
 */
function browserTest(name, fn, { viewport = { width: 1280, height: 800 } } = {}) {
  test(name, { timeout: TEST_MS }, async (t) => {
    const context = await browser.newContext({ baseURL: baseUrl, viewport, locale: 'en-GB' });
    context.setDefaultTimeout(STEP_MS);
    const page = await context.newPage();
    try {
      await fn(page, t);
    } catch (err) {
      await page.screenshot({ path: join(ARTIFACTS, `${slug(name)}.png`), fullPage: true }).catch(() => {});
      t.diagnostic(`failed at ${page.url()}; screenshot in artifacts/${slug(name)}.png`);
      throw err;
    } finally {
      await context.close();
    }
  });
}

/** Sign in through the form, as a person would, and wait to leave the sign-in page. */
async function signIn(page, email) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/sign-in')),
    page.getByRole('button', { name: 'Sign in', exact: true }).click(),
  ]);
}

const mainNav = (page) => page.getByRole('navigation', { name: 'Main' });
const h1 = (page) => page.getByRole('heading', { level: 1 });

/** Open People from the header and search for `text` with the Filter button. */
async function searchPeople(page, text) {
  await mainNav(page).getByRole('link', { name: 'People', exact: true }).click();
  await page.waitForURL(/\/o\/[^/]+\/people(\?|$)/);
  await page.getByLabel('Search name, email or employee id').fill(text);
  await Promise.all([
    page.waitForURL(/[?&]q=/),
    page.getByRole('button', { name: 'Filter', exact: true }).click(),
  ]);
  return page.getByRole('table').locator('tbody');
}

/** Write a CSV into the run's temp dir (removed with the server) and return its path. */
function csvFile(name, lines) {
  const path = join(workDir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** Upload a CSV through the "Import people" page; resolves on the mapping page. */
async function uploadCsv(page, path) {
  await mainNav(page).getByRole('link', { name: 'Import people', exact: true }).click();
  await page.waitForURL(/\/import\/people$/);
  await page.getByLabel('CSV file').setInputFiles(path);
  await page.getByRole('button', { name: 'Upload and continue' }).click();
  // The mapping page: its table caption is always there, whether the file is good or bad.
  await page.getByText('Which person field each column fills').waitFor();
}

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
