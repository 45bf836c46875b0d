// Companies in the staff web UI, in a real browser: a company changed from its form
// (its Gujarati name saved, a wrong GSTIN refused next to its field), and a person linked
// to it by their phone, then unlinked.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { accessibilityViolations, launch, newPage, shot, signIn, submitForm } from './helpers.mjs';

const AGENT = 'agent.ahmedabad@demo.sambandh.in';
// Names no demo record has, so that each test finds exactly its own.
const SUFFIX = String(Date.now()).slice(-6);

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Adds a company from the companies list; answers its page's path. */
async function createCompany(page, name) {
  await page.goto('/companies');
  await page.fill('#f-legal_name', name);
  await submitForm(page, 'form[action="/companies"]');
  const path = new URL(page.url()).pathname;
  assert.match(path, /^\/companies\/[0-9a-f-]{36}$/, `saved and shown: ${page.url()}`);
  return path;
}

/** A mobile number no demo contact has. */
function newPhone() {
  return `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
}

test('a company is changed with its Gujarati name; a wrong GSTIN is refused next to its field', async () => {
  const page = await newPage(browser, { locale: 'gu-IN' });
  try {
    await signIn(page, AGENT);
    const name = `Shah Traders ${SUFFIX}`;
    const companyPath = await createCompany(page, name);
    await page.locator(`a[href="${companyPath}/edit"]`).click();
    await page.waitForURL(`**${companyPath}/edit`);
    assert.equal(await page.inputValue('#f-legal_name'), name, 'the form shows the saved values');

    const native = `શાહ ટ્રેડર્સ ${SUFFIX}`;
    await page.fill('#f-native_name', native);
    await page.fill('#f-industry', 'કાપડ');
    await page.fill('#f-gstin', '24ABCDE1234F1Z0');
    const refused = await submitForm(page, 'form.grid-form');
    assert.equal(refused.status(), 422, 'the wrong GSTIN is refused');
    assert.ok(await page.locator('#e-gstin').isVisible(), 'the GSTIN says why, next to it');
    assert.match(await page.locator('#e-gstin').innerText(), /GSTIN નથી/, 'in Gujarati');
    assert.equal(await page.getAttribute('#f-gstin', 'aria-invalid'), 'true');
    assert.match(await page.getAttribute('#f-gstin', 'aria-describedby'), /\be-gstin\b/);
    assert.equal(await page.locator('[role=alert] a[href="#f-gstin"]').count(), 1, 'the summary links to the field');
    assert.equal(await page.inputValue('#f-native_name'), native, 'the Gujarati name typed is kept');
    assert.deepEqual(await accessibilityViolations(page), [], 'the form with its errors passes the accessibility rules');
    await shot(page, 'company-edit-errors');

    await page.fill('#f-gstin', '');
    await submitForm(page, 'form.grid-form');
    assert.equal(new URL(page.url()).pathname, companyPath, 'saved and shown');
    assert.equal(await page.locator('h1').innerText(), name);
    const facts = await page.locator('.facts').innerText();
    assert.ok(facts.includes(native), `the Gujarati name is saved: ${facts}`);
    assert.ok(facts.includes('કાપડ'), 'and the industry');
    await shot(page, 'company-edited');
  } finally {
    await page.context().close();
  }
});

test('a person is linked to a company by their phone and unlinked', async () => {
  const page = await newPage(browser);
  try {
    await signIn(page, AGENT);
    const phone = newPhone();
    const family = `દેસાઈ${SUFFIX}`;
    await page.goto('/contacts/new');
    await page.fill('#f-given_name', 'હેતલ');
    await page.fill('#f-family_name', family);
    await page.fill('#f-phones', `${phone.slice(0, 5)} ${phone.slice(5)}`);
    await submitForm(page, 'form.grid-form');
    const contactPath = new URL(page.url()).pathname;
    assert.match(contactPath, /^\/contacts\/[0-9a-f-]{36}$/, `the contact is saved: ${page.url()}`);

    const companyPath = await createCompany(page, `Desai Agencies ${SUFFIX}`);
    assert.ok(await page.locator('#people .empty').isVisible(), 'no one is linked yet');
    // A phone no one has is refused next to the field.
    await page.fill('#f-contact', newPhone());
    const refused = await submitForm(page, `form[action="${companyPath}/people"]`);
    assert.equal(refused.status(), 422);
    assert.ok(await page.locator('#e-contact').isVisible(), 'the unknown phone says why');

    await page.fill('#f-contact', `+91 ${phone}`);
    await page.fill('#f-role', 'ભાગીદાર');
    await submitForm(page, `form[action="${companyPath}/people"]`);
    assert.equal(new URL(page.url()).pathname, companyPath);
    const people = page.locator('#people ul.people li');
    assert.equal(await people.count(), 1, 'the person is on the company page');
    const linked = await people.innerText();
    assert.ok(linked.includes(family) && linked.includes('ભાગીદાર'), `with their role: ${linked}`);
    assert.equal(await people.locator(`a[href="${contactPath}"]`).count(), 1, 'with a link to their page');
    await shot(page, 'company-people');

    await page.goto(contactPath);
    assert.equal(await page.locator(`.facts a[href="${companyPath}"]`).count(), 1, 'the company is on their page');
    await shot(page, 'contact-companies');

    await page.goto(companyPath);
    await submitForm(page, '#people ul.people li form');
    assert.equal(new URL(page.url()).pathname, companyPath);
    assert.equal(await page.locator('#people ul.people li').count(), 0, 'unlinked');
    await page.goto(contactPath);
    assert.equal(await page.locator(`.facts a[href="${companyPath}"]`).count(), 0, 'and gone from their page');
  } finally {
    await page.context().close();
  }
});
