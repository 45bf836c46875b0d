// Signing in through the staff web UI, in a real browser.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch, newPage, shot, signIn, submit } from './helpers.mjs';

const OWNER = 'owner@demo.sambandh.in';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a wrong password shows an error and stays on the sign-in page', async () => {
  const page = await newPage(browser);
  try {
    await page.goto('/sign-in');
    await page.fill('#email', OWNER);
    await page.fill('#password', 'not-the-password');
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), submit(page)]);
    const alert = page.locator('[role=alert]');
    await alert.waitFor({ state: 'visible', timeout: 10_000 });
    assert.notEqual((await alert.innerText()).trim(), '', 'the alert says what went wrong');
    assert.equal(new URL(page.url()).pathname, '/sign-in');
    assert.equal(await page.inputValue('#email'), OWNER, 'the e-mail is kept for another try');
    await shot(page, 'sign-in-wrong-password');
  } finally {
    await page.context().close();
  }
});

test('the owner signs in and reaches the home page', async () => {
  const page = await newPage(browser);
  try {
    await page.goto('/sign-in');
    await shot(page, 'sign-in');
    const response = await signIn(page, OWNER);
    await shot(page, 'home');
    assert.notEqual(new URL(page.url()).pathname, '/sign-in');
    assert.ok(response && response.status() < 400, `${page.url()} answered ${response?.status()}`);
    assert.equal(await page.locator('[role=alert]').count(), 0, 'no error on the home page');
    const signOut = page.locator('form[action="/sign-out"]');
    assert.ok((await signOut.count()) > 0, `the page at ${page.url()} has a sign-out form`);
  } finally {
    await page.context().close();
  }
});
