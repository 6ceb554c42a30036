// Nothing for the page to read (issue 13). A page script does everything a hostile
// site could to learn what Postsafe knows: it reads the overlay and every attribute and
// text of the page (open shadow roots included), patches attachShadow before Postsafe
// starts, fills the editor with a guess and fires input events, clicks Post and presses
// Ctrl+Enter itself, and tries to message the extension. It must learn nothing: the
// outcome for a roster name and for a harmless guess is the same. Meanwhile a draft the
// user really types is still highlighted, and a real Post click on a draft the page
// filled in is still held.
//
// What the user sees is read through the DevTools protocol in the extension's own
// content-script world (helpers.mjs: inOverlay), which the page cannot reach.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EXTENSION_ID, assertNoNetwork, boxes, browserForTests, dialogButton, overlayCount, overlayText, waitForBoxes, waitForDialog,
} from './helpers.mjs';

const ctx = browserForTests();

// What Postsafe knows and the page must never read: roster and finding words, the
// pack's name, its messages and clauses, and our categories.
const SECRETS = ['E2E Trust', 'E2E policy', 'confidential matter', 'names a pupil', 'Pupil', 'pupil', 'Confidential', 'Postsafe'];

const sessions = new WeakMap();

/**
 * Runs `fn(arg)` as the page's own script would: in its main world, and without the
 * user activation that Playwright's page.evaluate grants (a page cannot fake that).
 */
async function asPage(page, fn, arg = null) {
  let cdp = sessions.get(page);
  if (!cdp) { cdp = await ctx.env.context.newCDPSession(page); sessions.set(page, cdp); }
  const r = await cdp.send('Runtime.evaluate', {
    expression: `(${fn})(${JSON.stringify(arg)})`, awaitPromise: true, returnByValue: true, userGesture: false,
  });
  if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
  return r.result.value;
}

/** Runs in the page's own world before any of its scripts: keeps every shadow root attached, whatever its mode. */
function spyOnShadowRoots() {
  window.__roots = [];
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, { ...init, mode: 'open' });
    window.__roots.push({ host: this.localName, root });
    return root;
  };
}

/** Everything a page script can read: each element's attributes, open shadow roots, text, our host as the page sees it. */
function pageView(page) {
  return asPage(page, () => {
    const attrs = [];
    const texts = [];
    const open = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll('*')) {
        for (const a of el.attributes) attrs.push(`${el.localName}[${a.name}=${a.value}]`);
        if (el.shadowRoot) { open.push(el.localName); texts.push(el.shadowRoot.textContent); walk(el.shadowRoot); }
      }
    };
    walk(document);
    texts.push(document.documentElement.textContent, document.title);
    const host = document.querySelector('postsafe-overlay');
    const spied = (window.__roots ?? []).filter((r) => r.host === 'postsafe-overlay').map((r) => r.root.textContent);
    return {
      attrs, open, text: texts.join('\n'), spied,
      host: host && {
        shadowRoot: host.shadowRoot === null ? null : 'readable', children: host.childNodes.length, text: host.textContent,
        attrs: [...host.attributes].map((a) => a.name).sort(),
        // Hit-testing over the whole viewport finds nothing of ours.
        hits: [...Array(20).keys()].flatMap((i) => [...Array(15).keys()].map((j) => document.elementFromPoint(i * 45 + 5, j * 45 + 5)?.localName)).filter((n) => n === 'postsafe-overlay').length,
      },
    };
  });
}

function assertNothingToRead(view, baseline, when, { dialog = false } = {}) {
  if (view.host) {
    assert.equal(view.host.shadowRoot, null, `${when}: the overlay's shadow root is closed`);
    assert.deepEqual({ children: view.host.children, text: view.host.text }, { children: 0, text: '' }, `${when}: nothing in the host`);
    assert.deepEqual(view.host.attrs, ['popover', 'style'], `${when}: no attribute of ours but its placement`);
    // A modal dialog the user's own Post opened covers the page (that is what modal
    // means): the page can tell its post was held, which it sees anyway, and no more.
    if (!dialog) assert.equal(view.host.hits, 0, `${when}: the overlay takes no hits`);
  }
  assert.deepEqual(view.spied, [], `${when}: a patched attachShadow in the page never sees our shadow root`);
  assert.ok(!view.open.includes('postsafe-overlay'), when);
  const added = view.attrs.filter((a) => !baseline.attrs.includes(a) && !a.startsWith('postsafe-overlay['));
  // The editors' own attributes may change as the user types (Lexical, textarea value); none of ours.
  for (const a of added) assert.doesNotMatch(a, /data-(category|severity|postsafe)|pupil|confidential|postsafe/i, `${when}: ${a}`);
  for (const s of SECRETS) assert.ok(!view.text.includes(s), `${when}: the page can read "${s}"`);
}

async function openProbed(name) {
  const page = await ctx.env.context.newPage();
  await page.addInitScript(spyOnShadowRoots);
  await page.goto(`${ctx.srv.base}/page/${name}`);
  // Waited for without page.evaluate, which would give the page a user activation.
  const end = Date.now() + 10_000;
  while (!(await asPage(page, () => !!window.__ready))) {
    if (Date.now() > end) throw new Error('the fixture did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  // As for a real page script: the user has not touched this page.
  assert.equal(await asPage(page, () => navigator.userActivation.hasBeenActive), false, 'no user activation yet');
  return page;
}

/** The page fills its own editor and fires an untrusted input event, as a script testing guesses would. */
function pageFills(page, text) {
  return asPage(page, (text) => {
    const ed = window.__editor;
    if (ed instanceof HTMLTextAreaElement) ed.value = text;
    else ed.textContent = text;
    ed.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText', data: text }));
    ed.focus();
  }, text);
}

/** The page presses Post itself (element.click()), then Ctrl+Enter (a synthetic keydown): what it sees afterwards. */
function pagePosts(page) {
  return asPage(page, async () => {
    const before = window.__posted.length;
    document.querySelector('#composer [type="submit"], #composer [data-testid="post"]').click();
    const afterClick = window.__posted.length - before;
    window.__editor.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', ctrlKey: true, bubbles: true, cancelable: true, composed: true }));
    const afterKey = window.__posted.length - before - afterClick;
    await new Promise((r) => setTimeout(r, 300));
    return { afterClick, afterKey, later: window.__posted.length - before, active: document.activeElement?.localName ?? null };
  });
}

test('a page script learns nothing: overlay, attributes, the trust\'s name, untrusted input, untrusted Post, messages', async () => {
  const page = await openProbed('textarea');
  const baseline = await pageView(page);

  // Guesses typed in by the page itself: a roster name and a harmless word give the same outcome.
  const outcomes = {};
  for (const guess of ['Well done Tom Smith', 'Well done Tim Smyth', 'Project Bluebird starts']) {
    await pageFills(page, guess);
    await new Promise((r) => setTimeout(r, 400));
    outcomes[guess] = { posted: await pagePosts(page), view: await pageView(page) };
    assertNothingToRead(outcomes[guess].view, baseline, `after the page's guess "${guess}"`);
    // And Postsafe did not even check it: untrusted input starts no scan, no highlight, no hold.
    assert.deepEqual(await boxes(page), [], `no highlight for the page's own "${guess}"`);
    assert.equal(await overlayCount(page, 'dialog[open]'), 0);
  }
  const seen = Object.values(outcomes).map((o) => JSON.stringify(o.posted));
  assert.equal(new Set(seen).size, 1, `the same outcome for every guess: ${seen.join(' / ')}`);
  assert.deepEqual(outcomes['Well done Tom Smith'].posted, { afterClick: 1, afterKey: 1, later: 2, active: 'textarea' }, 'the page\'s own Post goes through at once, unheld');

  // Messages: a page has no way to the background (no externally_connectable, no web-accessible files).
  const messaging = await asPage(page, async (id) => {
    const out = {};
    out.runtime = typeof globalThis.chrome?.runtime?.sendMessage;
    try { await chrome.runtime.sendMessage(id, { kind: 'scan', draft: { body: 'Tom Smith' } }); out.send = 'answered'; } catch (e) { out.send = 'refused'; }
    try { chrome.runtime.connect(id, { name: 'postsafe-scan' }); out.connect = 'connected'; } catch (e) { out.connect = 'refused'; }
    try { await fetch(`chrome-extension://${id}/manifest.json`); out.fetch = 'read'; } catch (e) { out.fetch = 'refused'; }
    window.postMessage({ kind: 'scan', draft: { body: 'Tom Smith' } }, '*');
    window.postMessage({ id: 1, req: { kind: 'getSettings' } }, '*');
    await new Promise((r) => setTimeout(r, 300));
    return out;
  }, EXTENSION_ID);
  assert.deepEqual(messaging, { runtime: 'undefined', send: 'refused', connect: 'refused', fetch: 'refused' });
  assertNothingToRead(await pageView(page), baseline, 'after messaging');
  await page.close();
});

test('meanwhile the user\'s own typing is highlighted, and the page still reads nothing of it', async () => {
  const page = await openProbed('lexical');
  const baseline = await pageView(page);
  await page.locator('#editor').click();
  await page.keyboard.type('Well done Tom Smith at Project Bluebird');
  const shown = await waitForBoxes(page, 2);
  assert.deepEqual(shown.map((b) => b.category).sort(), ['confidential', 'pupil']);
  // The card opens on hover, for the user.
  const pupil = shown.find((b) => b.category === 'pupil');
  await page.mouse.move(pupil.x + pupil.w / 2, pupil.y + pupil.h / 2);
  const end = Date.now() + 5000;
  let card = null;
  while (!card && Date.now() < end) card = await overlayText(page, '.card');
  assert.match(card ?? '', /Tom Smith/);
  assertNothingToRead(await pageView(page), baseline, 'with highlights and a card on screen');
  await page.close();
});

test('a real Post click on a draft the page filled in is still held, and the dialog is sealed too', async () => {
  const page = await openProbed('textarea');
  const baseline = await pageView(page);
  await pageFills(page, 'Sports day with Tom Smith, see Project Bluebird');
  assert.deepEqual(await boxes(page), [], 'the page\'s filling started no check');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  const info = await waitForDialog(page);
  assert.deepEqual(info.items.map((i) => i.category).sort(), ['confidential', 'pupil']);
  assert.deepEqual(await page.evaluate(() => window.__posted), [], 'held');
  assertNothingToRead(await pageView(page), baseline, 'with the dialog open', { dialog: true });
  await dialogButton(page, page, 'edit');
  assert.deepEqual(await page.evaluate(() => window.__posted), []);
  await page.close();
});

test('no request left 127.0.0.1', () => assertNoNetwork(ctx.env));
