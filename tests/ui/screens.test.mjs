// Every main screen, in each of the four languages, and the day's work on them: a
// ticket answered from the inbox, a task done, a greeting approved, a deal moved.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch, newPage, shot, signIn } from './helpers.mjs';

const MANAGER = 'manager.chennai@demo.sambandh.in';
const OWNER = 'owner@demo.sambandh.in';
const SCREENS = [
  ['today', '/'],
  ['contacts', '/contacts'],
  ['companies', '/companies'],
  ['deals', '/deals'],
  ['tasks', '/tasks'],
  ['tickets', '/tickets'],
  ['greetings', '/greetings'],
  ['admin', '/admin'],
];
// A message key shown instead of its text ("nav-contacts") means a message is missing.
const RAW_KEY = /(^|\s)(nav|field|section|ticket|tickets|status|tier|role|kind|greeting|greetings|deal|deals|task|tasks|admin|timer|reason|contact|contacts|company|error|sign)-[a-z_-]+(\s|$)/m;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const [lang, navContacts] of [['en', 'Contacts'], ['hi', 'संपर्क'], ['ta', 'தொடர்புகள்'], ['gu', 'સંપર્કો']]) {
  test(`every main screen renders in ${lang}`, async () => {
    const page = await newPage(browser, { locale: lang === 'en' ? 'en-IN' : `${lang}-IN` });
    try {
      await signIn(page, OWNER);
      for (const [name, path] of SCREENS) {
        const response = await page.goto(path);
        assert.equal(response.status(), 200, `${path} in ${lang}`);
        assert.equal(await page.getAttribute('html', 'lang'), lang, `${path} is marked as ${lang}`);
        const text = await page.locator('body').innerText();
        assert.doesNotMatch(text, RAW_KEY, `${path} in ${lang} shows a message key`);
        assert.equal(await page.locator('nav a[href="/contacts"]').innerText(), navContacts);
        await shot(page, `${name}-${lang}`);
      }
    } finally {
      await page.context().close();
    }
  });
}

test('the main screens fit a phone screen', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    await signIn(page, MANAGER);
    for (const [name, path] of SCREENS.slice(0, 6)) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - 390);
      // The deals board scrolls inside itself; the page never scrolls sideways.
      assert.ok(overflow <= 1, `${path} is ${overflow}px wider than the phone`);
      await shot(page, `${name}-phone`);
    }
  } finally {
    await page.context().close();
  }
});

test('a ticket is answered from the inbox and its timer shows', async () => {
  const page = await newPage(browser);
  try {
    await signIn(page, MANAGER);
    await page.goto('/tickets');
    const first = page.locator('table.list tbody tr').first();
    assert.ok((await first.count()) > 0, 'the demo branch has tickets waiting');
    assert.ok((await first.locator('time[data-due]').count()) > 0, 'each waiting ticket shows its deadline');
    await page.waitForSelector('time[data-due] + .left');
    await shot(page, 'tickets-inbox');
    await first.locator('a').first().click();
    await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    const before = await page.locator('ol.conversation > li').count();

    // An empty reply is refused next to its field.
    await Promise.all([page.waitForLoadState('load'), page.locator('form[action$="/reply"] button').click()]);
    assert.ok(await page.locator('form[action$="/reply"] .error').isVisible(), 'the empty reply says why');

    await page.fill('form[action$="/reply"] textarea', 'வணக்கம்! உங்கள் ஆர்டர் நாளை வந்து சேரும்.');
    await Promise.all([page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/), page.locator('form[action$="/reply"] button').click()]);
    assert.equal(await page.locator('ol.conversation > li').count(), before + 1, 'the reply joins the conversation');
    assert.match(await page.locator('ol.conversation > li').last().innerText(), /நாளை வந்து சேரும்/);
    await shot(page, 'ticket');
  } finally {
    await page.context().close();
  }
});

test('a task is done, a greeting approved and a deal moved', async () => {
  const page = await newPage(browser);
  try {
    await signIn(page, MANAGER);

    await page.goto('/tasks');
    const tasks = page.locator('table.list tbody tr');
    const open = await tasks.count();
    assert.ok(open > 0, 'the demo has tasks for the manager');
    await Promise.all([page.waitForURL(/\/tasks/), tasks.first().locator('button').click()]);
    assert.equal(await page.locator('table.list tbody tr').count(), open - 1, 'a done task leaves the list');

    await page.goto('/greetings');
    const cards = page.locator('article.greeting');
    const waiting = await cards.count();
    if (waiting > 0) {
      await Promise.all([page.waitForURL(/\/greetings/), cards.first().locator('button[value=approve]').click()]);
      assert.equal(await page.locator('article.greeting').count(), waiting - 1, 'an approved greeting leaves the queue');
    }

    await page.goto('/deals');
    const card = page.locator('article.deal').first();
    const id = await card.getAttribute('id');
    const select = card.locator('select');
    const options = await select.locator('option').evaluateAll((all) => all.map((o) => o.value));
    const current = await select.inputValue();
    const target = options.find((value) => value !== current && value !== 'lost');
    await select.selectOption(target);
    await Promise.all([page.waitForURL(/\/deals$/), card.locator('button').click()]);
    assert.equal(await page.locator(`#${id} select`).inputValue(), target, 'the deal is in its new stage');
    await shot(page, 'deals-board');
  } finally {
    await page.context().close();
  }
});

// The README's picture (docs/screenshots/contact-hi.png is a copy of this artifact): a
// Lucknow customer with a ticket, a deal, a task and a call, seen by the branch's agent
// in Hindi.
test('a customer of the Lucknow branch, in Hindi', async () => {
  const page = await newPage(browser, { locale: 'hi-IN', viewport: { width: 1280, height: 900 } });
  try {
    await signIn(page, 'agent.lucknow@demo.sambandh.in');
    await page.goto('/tickets');
    await page.locator('table.list tbody tr a').last().click();
    await page.locator('p.meta a[href^="/contacts/"]').click();
    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/);
    assert.equal(await page.getAttribute('html', 'lang'), 'hi');
    assert.equal(await page.locator('#h-timeline').innerText(), 'टाइमलाइन');
    assert.ok((await page.locator('ol.timeline > li').count()) >= 2, 'the call and the ticket are on the timeline');
    await shot(page, 'contact-hi');
  } finally {
    await page.context().close();
  }
});

// axe-core (Deque's accessibility rules engine) on every main screen: labels, names of
// controls, contrast, landmarks, lang attributes. Serious and critical findings fail.
test('the main screens pass the accessibility rules', async () => {
  const { createRequire } = await import('node:module');
  const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  const page = await newPage(browser, { locale: 'ta-IN' });
  try {
    await signIn(page, MANAGER);
    const contact = await (async () => {
      await page.goto('/contacts');
      return page.locator('table.list tbody a').first().getAttribute('href');
    })();
    for (const path of [...SCREENS.map(([, p]) => p), contact, `${contact}/edit`, '/contacts/new']) {
      await page.goto(path);
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const found = await axe.run(document, { resultTypes: ['violations'] });
        return found.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      });
      assert.deepEqual(result, [], `${path}: ${result.join('; ')}`);
    }
  } finally {
    await page.context().close();
  }
});

test("another branch's customer is not shown, and a page without a session asks to sign in first", async () => {
  const chennai = await newPage(browser);
  const ahmedabad = await newPage(browser);
  try {
    await signIn(chennai, MANAGER);
    await chennai.goto('/contacts');
    const contactPath = await chennai.locator('table.list tbody a').first().getAttribute('href');

    const anonymous = await ahmedabad.goto(contactPath);
    assert.equal(new URL(ahmedabad.url()).pathname, '/sign-in', 'signing in comes first');
    assert.equal(anonymous.status(), 200);
    await ahmedabad.fill('#email', 'agent.ahmedabad@demo.sambandh.in');
    await ahmedabad.fill('#password', 'sambandh-demo');
    const [refused] = await Promise.all([
      ahmedabad.waitForResponse((r) => new URL(r.url()).pathname === contactPath),
      ahmedabad.locator('form[action="/sign-in"] button').click(),
    ]);
    assert.equal(refused.status(), 404, 'after signing in, the page asked for is shown: here, not found');
    assert.ok(!(await ahmedabad.locator('body').innerText()).includes(await chennai.locator('table.list tbody a').first().innerText()));
  } finally {
    await chennai.context().close();
    await ahmedabad.context().close();
  }
});
