// A person's rights in the staff web UI, in a real browser: their data downloaded as a
// file, and erased after a confirmation — by the owner; a branch manager is offered
// neither and refused both.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import { accessibilityViolations, launch, newPage, shot, signIn, submitForm } from './helpers.mjs';

const OWNER = 'owner@demo.sambandh.in';
const MANAGER = 'manager.chennai@demo.sambandh.in';
const SUFFIX = String(Date.now()).slice(-6);

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("a person's data is downloaded, then erased after confirming, and their name is gone", async () => {
  const page = await newPage(browser, { acceptDownloads: true });
  try {
    await signIn(page, OWNER);
    const family = `வேங்கடேசன்${SUFFIX}`;
    await page.goto('/contacts/new');
    await page.fill('#f-given_name', 'பவானி');
    await page.fill('#f-family_name', family);
    await page.fill('#f-emails', `bhavani.${SUFFIX}@example.com`);
    await submitForm(page, 'form.grid-form');
    const contactPath = new URL(page.url()).pathname;
    assert.match(contactPath, /^\/contacts\/[0-9a-f-]{36}$/, `the contact is saved: ${page.url()}`);
    const id = contactPath.split('/').pop();
    await shot(page, 'contact-personal-data');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#personal-data a[href$="/data"]').click(),
    ]);
    assert.equal(download.suggestedFilename(), `contact-${id}.json`);
    const data = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(data.contact.family_name, family, 'the file holds what we have about them');
    assert.deepEqual(data.contact.emails, [`bhavani.${SUFFIX}@example.com`]);

    await page.locator('#personal-data a[href$="/erase"]').click();
    await page.waitForURL(`**${contactPath}/erase`);
    const confirmation = await page.locator('main').innerText();
    assert.ok(confirmation.includes(family), 'the confirmation names the person');
    assert.match(confirmation, /cannot be undone/);
    assert.equal(await page.locator('form[action$="/erase"] button').count(), 1);
    assert.deepEqual(await accessibilityViolations(page), []);
    await shot(page, 'contact-erase-confirm');

    await submitForm(page, 'form[action$="/erase"]');
    assert.equal(new URL(page.url()).pathname, '/contacts', 'back to the contact list');
    assert.ok(!(await page.locator('main').innerText()).includes(family), 'the name is gone from the list');
    await page.goto(`/contacts?q=${encodeURIComponent(family)}`);
    assert.equal(await page.locator('table.list tbody tr').count(), 0, 'no search finds them');
    await page.goto(contactPath);
    const heading = await page.locator('h1').innerText();
    assert.ok(!heading.includes(family) && heading.includes('[erased]'), `the record stays, erased: ${heading}`);
    assert.ok(!(await page.locator('main').innerText()).includes(family));
    assert.equal(await page.locator('#personal-data a[href$="/erase"]').count(), 0, 'erased once');
  } finally {
    await page.context().close();
  }
});

test('a branch manager is offered neither and refused both', async () => {
  const page = await newPage(browser);
  try {
    await signIn(page, MANAGER);
    await page.goto('/contacts');
    const contactPath = await page.locator('table.list tbody a').first().getAttribute('href');
    await page.goto(contactPath);
    assert.equal(await page.locator('#personal-data').count(), 0, 'no personal-data buttons');
    for (const path of [`${contactPath}/data`, `${contactPath}/erase`]) {
      const response = await page.goto(path);
      assert.equal(response.status(), 403, `${path} is refused`);
    }
  } finally {
    await page.context().close();
  }
});
