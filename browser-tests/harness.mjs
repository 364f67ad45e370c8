// The harness Somu's browser tests share: it starts `somu demo` and Chromium once per test file
// and offers helpers for signing in and finding things. Test files live in tests/*.test.mjs;
// run them all from this directory with `npm test` (see README.md). Nothing is built here: the somu
// binary comes from $SOMU_BIN (default ../target/release/somu, relative to this file). Each run
// starts `somu demo` in a fresh temporary directory, so its demo database is private to the run.

import { test, before, after } from 'node:test';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = join(HERE, 'artifacts');
export const SOMU_BIN = process.env.SOMU_BIN ? resolve(process.env.SOMU_BIN) : resolve(HERE, '../target/release/somu');
export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
export const PASSWORD = 'somu-demo-2026';
export const ADMIN = 'admin@northwind.example';
export const INSTRUCTOR = 'instructor@northwind.example';
export const LEARNER = 'learner@northwind.example';
export const ORG = 'northwind';

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
  const log = createWriteStream(join(ARTIFACTS, `server-${basename(process.argv[1] ?? 'run', '.mjs')}.log`));
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
      reject(new Error(`somu exited early (code ${code}, signal ${signal}); see artifacts/server-*.log`));
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

export const slug = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/**
 * A test with its own browser context; on failure the page is saved to artifacts/<test-name>.png.
 * `viewport` lets one test choose its window size.
 */
export function browserTest(name, fn, { viewport = { width: 1280, height: 800 } } = {}) {
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
export async function signIn(page, email) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/sign-in')),
    page.getByRole('button', { name: 'Sign in', exact: true }).click(),
  ]);
}

export const mainNav = (page) => page.getByRole('navigation', { name: 'Main' });
export const h1 = (page) => page.getByRole('heading', { level: 1 });

/** Open People from the header and search for `text` with the Filter button. */
export async function searchPeople(page, text) {
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
export function csvFile(name, lines) {
  const path = join(workDir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** Upload a CSV through the "Import people" page; resolves on the mapping page. */
export async function uploadCsv(page, path) {
  await mainNav(page).getByRole('link', { name: 'Import people', exact: true }).click();
  await page.waitForURL(/\/import\/people$/);
  await page.getByLabel('CSV file').setInputFiles(path);
  await page.getByRole('button', { name: 'Upload and continue' }).click();
  // The mapping page: its table caption is always there, whether the file is good or bad.
  await page.getByText('Which person field each column fills').waitFor();
}

/** The temporary directory of this file's server (for files a test writes). */
export const tempDir = () => workDir;
