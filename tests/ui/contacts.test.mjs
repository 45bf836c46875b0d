// A day's work with contacts in the staff web UI, in a real browser: create a contact
// with a Tamil name, find it, change it from two tabs, read it in Hindi, and make sure
// markup typed into any field comes back as text.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch, newPage, shot, signIn, submitForm } from './helpers.mjs';

const MANAGER = 'manager.chennai@demo.sambandh.in';
// A name no demo contact has, so that a search finds exactly this one.
const SUFFIX = String(Date.now()).slice(-6);
const GIVEN = 'கார்த்திகேயன்';
const FAMILY = `சுந்தரம்${SUFFIX}`;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Creates a contact with a Tamil name through the form; answers its page's path. */
async function createTamilContact(page, phone = `98${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`) {
  await page.goto('/contacts/new');
  await page.fill('#f-given_name', GIVEN);
  await page.fill('#f-family_name', FAMILY);
  await page.fill('#f-name_latin', `Karthikeyan Sundaram${SUFFIX}`);
  await page.fill('#f-phones', phone);
  await page.fill('#f-language', 'ta');
  await page.fill('#f-city', 'சென்னை');
  await page.fill('#f-birthday', '--08-15');
  await submitForm(page);
  assert.match(new URL(page.url()).pathname, /^\/contacts\/[0-9a-f-]{36}$/, `saved and shown: ${page.url()}`);
  return new URL(page.url()).pathname;
}

test('a contact with a Tamil name is created, found by search and shown in Tamil script', async () => {
  const page = await newPage(browser);
  try {
    await signIn(page, MANAGER);
    const phone = '98401 ' + SUFFIX.slice(0, 5);
    const contactPath = await createTamilContact(page, phone);
    const heading = page.locator('h1');
    assert.match(await heading.innerText(), new RegExp(GIVEN));
    assert.equal(await heading.locator('[lang]').getAttribute('lang'), 'ta', 'the name is marked up as Tamil');
    await shot(page, 'contact-tamil');

    // What the customer says on the call is recorded on their page: a consent
    // withdrawn, and a need (an empty one is refused next to its field).
    await page.locator('#h-consent ~ details summary').click();
    await page.selectOption('form[action$="/consents"] [name=purpose]', 'marketing');
    await page.selectOption('form[action$="/consents"] [name=channel]', 'whatsapp');
    await page.selectOption('form[action$="/consents"] [name=status]', 'withdrawn');
    await page.selectOption('form[action$="/consents"] [name=method]', 'verbal');
    await Promise.all([page.waitForURL(/#h-consent$/), page.locator('form[action$="/consents"] button').click()]);
    assert.equal(await page.locator('.tag.consent-withdrawn').count(), 1, 'the withdrawal is on the page');
    await Promise.all([page.waitForLoadState('load'), page.locator('form[action$="/needs"] button').click()]);
    assert.ok(await page.locator('form[action$="/needs"] .error').isVisible(), 'an empty need says why');
    await page.fill('form[action$="/needs"] [name=need]', 'தீபாவளிக்கு பட்டுப் புடவை');
    await Promise.all([page.waitForURL(/#h-needs$/), page.locator('form[action$="/needs"] button').click()]);
    assert.match(await page.locator('#h-needs + ul').innerText(), /பட்டுப் புடவை/);

    // Found by a prefix of the Tamil family name, by the Latin name and by the phone.
    for (const query of [FAMILY.slice(0, 5), FAMILY, `sundaram${SUFFIX}`, phone]) {
      await page.goto(`/contacts?q=${encodeURIComponent(query)}`);
      const link = page.locator(`table.list a[href="${contactPath}"]`);
      assert.equal(await link.count(), 1, `the search '${query}' finds the contact`);
    }
    await page.goto('/contacts');
    await page.fill('#f-q', FAMILY);
    await Promise.all([page.waitForURL(/q=/), page.locator('form[role=search] button[type=submit]').click()]);
    const rows = page.locator('table.list tbody tr');
    assert.equal(await rows.count(), 1, 'typing the name in the search box finds it alone');
    await shot(page, 'contacts-search');
  } finally {
    await page.context().close();
  }
});

test('a contact changed in two tabs shows the conflict and the saved values instead of overwriting', async () => {
  const context = await browser.newContext({ baseURL: `${process.env.SAMBANDH_URL}/` });
  const first = await context.newPage();
  try {
    await signIn(first, MANAGER);
    const contactPath = await createTamilContact(first);
    const second = await context.newPage();
    await first.goto(`${contactPath}/edit`);
    await second.goto(`${contactPath}/edit`);

    await second.fill('#f-city', 'மதுரை');
    await submitForm(second);
    assert.equal(new URL(second.url()).pathname, contactPath, 'the first save goes through');

    await first.fill('#f-city', 'கோயம்புத்தூர்');
    const response = await submitForm(first);
    assert.equal(response.status(), 409, 'the stale save is refused');
    const conflict = first.locator('#conflict');
    assert.ok(await conflict.isVisible(), 'the conflict is explained');
    assert.match(await conflict.innerText(), /மதுரை/, 'the saved value is shown');
    assert.equal(await first.inputValue('#f-city'), 'கோயம்புத்தூர்', 'what this tab typed is kept');
    await shot(first, 'contact-conflict');

    // Nothing was overwritten.
    await second.goto(contactPath);
    assert.match(await second.locator('.facts').innerText(), /மதுரை/);

    // Saving again, knowing both, replaces the saved version.
    await submitForm(first);
    assert.equal(new URL(first.url()).pathname, contactPath);
    assert.match(await first.locator('.facts').innerText(), /கோயம்புத்தூர்/);
  } finally {
    await context.close();
  }
});

test('the UI switches to Hindi and stays in Hindi', async () => {
  const page = await newPage(browser, { locale: 'en-GB' });
  try {
    await signIn(page, MANAGER);
    const contactPath = await createTamilContact(page);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    // Picking a language applies it at once (the menu's script submits it).
    await page.selectOption('#lang-select', 'hi');
    await page.waitForFunction(() => document.documentElement.lang === 'hi', null, { timeout: 10_000 });
    await page.waitForLoadState('load');
    assert.equal(await page.getAttribute('html', 'lang'), 'hi', 'the page is marked as Hindi');
    assert.equal(await page.locator('nav[aria-label] a[href="/contacts"]').innerText(), 'संपर्क');
    assert.equal(new URL(page.url()).pathname, contactPath, 'the same page is shown again');
    await page.goto('/tasks');
    assert.equal(await page.getAttribute('html', 'lang'), 'hi', 'the choice is kept from page to page');
    await page.goto(contactPath);
    await shot(page, 'contact-hindi');
  } finally {
    await page.context().close();
  }
});

test('markup typed into every field comes back as text', async () => {
  const page = await newPage(browser);
  const fired = [];
  page.on('dialog', async (dialog) => {
    fired.push(dialog.message());
    await dialog.dismiss();
  });
  try {
    await signIn(page, MANAGER);
    const payload = (n) => `<script>alert(${n})</script>"'><img src=x onerror=alert(${n})>&amp;`;
    await page.goto('/contacts/new');
    const fields = page.locator('form.grid-form :is(input[type=text], input:not([type]), textarea)');
    const count = await fields.count();
    assert.ok(count >= 15, `the form has its text fields (${count})`);
    const ids = [];
    for (let i = 0; i < count; i += 1) {
      const field = fields.nth(i);
      const id = await field.getAttribute('id');
      ids.push(id);
      await field.fill(payload(i));
    }
    const response = await submitForm(page);
    assert.equal(response.status(), 422, 'fields that cannot hold such text are refused');
    for (const [i, id] of ids.entries()) {
      assert.equal(await page.inputValue(`#${id}`), payload(i), `${id} shows back exactly what was typed`);
    }
    const errors = page.locator('.field .error');
    assert.ok((await errors.count()) >= 3, 'each refused field says why next to it');
    assert.equal(await page.locator('#f-phones').getAttribute('aria-invalid'), 'true');
    await shot(page, 'contact-errors');

    // Fields of free text keep the markup as text once saved.
    for (const [id, value] of [['#f-phones', '98400 54321'], ['#f-emails', ''], ['#f-language', 'ta'],
      ['#f-time_zone', ''], ['#f-region', ''], ['#f-pin_code', ''], ['#f-birthday', ''], ['#f-tags', ''],
      ['#f-name_Taml', ''], ['#f-name_Deva', ''], ['#f-name_Gujr', ''], ['#f-name_Telu', '']]) {
      await page.fill(id, value);
    }
    await submitForm(page);
    const left = await page.locator('.field.invalid, [role=alert]').allInnerTexts();
    assert.match(new URL(page.url()).pathname, /^\/contacts\/[0-9a-f-]{36}$/, `saved, not refused: ${left.join(' | ')}`);
    const heading = await page.locator('h1').innerText();
    assert.ok(heading.includes('<script>alert('), `the name is shown as typed: ${heading}`);
    assert.equal(await page.locator('main img').count(), 0, 'no element was made from the text');
    assert.equal(await page.locator('main script').count(), 0, 'no script was made from the text');
    assert.deepEqual(fired, [], 'no script ran');
    await page.goto(`${new URL(page.url()).pathname}/edit`);
    assert.equal(await page.inputValue('#f-given_name'), payload(ids.indexOf('f-given_name')));

    // The same on the other forms of the day: a task, a deal, a call logged.
    const contactPath = new URL(page.url()).pathname.replace(/\/edit$/, '');
    await page.goto('/tasks');
    await page.fill('#f-title', payload('task'));
    await page.fill('#f-due_at', '2030-01-01T10:00');
    await Promise.all([page.waitForURL(/\/tasks$/), page.locator('form[action="/tasks"] button').click()]);
    assert.ok((await page.locator('table.list').innerText()).includes(payload('task')), 'the task title is text');
    await page.goto(contactPath);
    await page.locator('a[href^="/deals?contact="]').click();
    assert.equal(await page.inputValue('#f-contact'), contactPath.split('/').pop(), 'the deal starts with the contact');
    await page.fill('#f-title', payload('deal'));
    await Promise.all([page.waitForURL(/\/deals$/), page.locator('form[action="/deals"] button').click()]);
    assert.ok((await page.locator('.board').innerText()).includes(payload('deal')), 'the deal title is text');
    await page.goto(contactPath);
    await page.selectOption('#f-kind', 'note');
    await page.fill('#f-text', payload('note'));
    await Promise.all([page.waitForURL(/#timeline$/), page.locator('form[action$="/interactions"] button').click()]);
    assert.ok((await page.locator('ol.timeline').innerText()).includes(payload('note')), 'the note is text');
    assert.equal(await page.locator('main img').count(), 0, 'no element was made from any text');
    assert.deepEqual(fired, [], 'no script ran');
  } finally {
    await page.context().close();
  }
});

test('a company is added with its Gujarati name; a wrong GSTIN is refused next to its field', async () => {
  const page = await newPage(browser);
  try {
    await signIn(page, 'agent.ahmedabad@demo.sambandh.in');
    await page.goto('/companies');
    const name = `Patel Textiles ${SUFFIX}`;
    await page.fill('#f-legal_name', name);
    await page.fill('#f-native_name', `પટેલ ટેક્સટાઇલ્સ ${SUFFIX}`);
    await page.fill('#f-gstin', '24ABCDE1234F1Z0');
    await Promise.all([page.waitForLoadState('load'), page.locator('form[action="/companies"] button').click()]);
    assert.ok(await page.locator('#e-gstin').isVisible(), 'the GSTIN says why it is refused');
    assert.equal(await page.inputValue('#f-legal_name'), name, 'the name typed is kept');
    await page.fill('#f-gstin', '');
    await Promise.all([page.waitForURL(/\/companies\/[0-9a-f-]{36}$/), page.locator('form[action="/companies"] button').click()]);
    assert.equal(await page.locator('h1').innerText(), name);
    assert.match(await page.locator('.facts').innerText(), /પટેલ ટેક્સટાઇલ્સ/);
  } finally {
    await page.context().close();
  }
});
