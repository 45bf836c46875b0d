// Shared helpers of the browser tests: a headless Chromium (Debian's, driven by
// playwright-core), signing in, and screenshots.
//
// The server under test is at $SAMBANDH_URL (scripts/test-ui starts one with demo data);
// screenshots go to $SCREENSHOTS (target/ui-artifacts/<engine> under scripts/test-ui).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

/** The base URL of the server under test, without a trailing slash. */
export const BASE_URL = (process.env.SAMBANDH_URL ?? 'http://127.0.0.1:7800').replace(/\/+$/, '');

/** The demo accounts' password (see `sambandh serve --demo`). */
export const DEMO_PASSWORD = 'sambandh-demo';

/** A URL on the server under test: `url('/sign-in')`. */
export function url(pathname = '/') {
  return new URL(pathname, `${BASE_URL}/`).toString();
}

/**
 * Starts headless Chromium: Debian's /usr/bin/chromium, or $CHROMIUM. The machine has
 * no internet, so everything Chromium would fetch on its own is switched off.
 */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh browser context (its own cookies) and a page in it, with the base URL set,
 * so that `page.goto('/sign-in')` works.
 */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ baseURL: `${BASE_URL}/`, ...options });
  return context.newPage();
}

/**
 * Signs in through the sign-in form and waits until the browser has left /sign-in.
 * Throws (with what the page said) when it stays there. Returns the response of the
 * page it landed on (after redirects), so a test can check its status.
 */
export async function signIn(page, email, password = DEMO_PASSWORD) {
  await page.goto(url('/sign-in'));
  await page.fill('#email', email);
  await page.fill('#password', password);
  let landed = null;
  const onResponse = (response) => {
    if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) landed = response;
  };
  page.on('response', onResponse);
  const left = page.waitForURL((at) => at.pathname !== '/sign-in', { timeout: 10_000 });
  await submit(page);
  try {
    await left;
    return landed;
  } catch (err) {
    const alert = await page.locator('[role=alert]').allInnerTexts().catch(() => []);
    throw new Error(`signing in as ${email} stayed on ${page.url()}${alert.length ? `: ${alert.join(' ')}` : ''}`, {
      cause: err,
    });
  } finally {
    page.off('response', onResponse);
  }
}

/** Submits the sign-in form the way a person does: its submit button. */
export async function submit(page) {
  await page
    .locator('form:has(#password) :is(button:not([type]), button[type=submit], input[type=submit])')
    .first()
    .click();
}

/** Submits the form that holds `selector` (by default the page's main form) with its
 * submit button, and waits for the page it leads to; answers that page's response. */
export async function submitForm(page, selector = 'form.grid-form') {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
    page.locator(`${selector} button[type=submit]`).first().click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

/** Saves a full-page PNG of the page as $SCREENSHOTS/NAME.png; returns its path. */
export async function shot(page, name) {
  const dir = process.env.SCREENSHOTS || path.join('target', 'ui-artifacts');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * The serious and critical findings of axe-core (Deque's accessibility rules engine) on
 * the page as it is now, each as "rule (impact): where".
 */
export async function accessibilityViolations(page) {
  const { createRequire } = await import('node:module');
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const found = await axe.run(document, { resultTypes: ['violations'] });
    return found.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
}
