// End-to-end, the ten supported sites (issue 19, and issue 14's "alt saved then Post"):
// each site's fixture (fixtures/sites/<id>.js, built from what is publicly known of its
// DOM, sources at the top of each) is served on the site's real host name (x.com,
// www.reddit.com, …) through a loopback proxy, so the built extension runs there with
// that site's adapter. On every site: a pupil named in any one field of the post (and
// only there) is held, by the Post button and by the key the site posts on, and the
// dialog says which field; a clean post with every field filled posts exactly once.
// Threads of three drafts (X, Bluesky, Threads) with the pupil in the 3rd are held; a
// Mastodon content warning naming the school is held. Chromium for all ten sites;
// Firefox for three (X, Bluesky, Mastodon) and X's saved alt. One browser for each.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACK, TINY_JPEG as JPEG, boxes, dialogButton, dialogOpen, importPack, launch, shot, until, waitForDialogState } from './helpers.mjs';
import { certificate, ffDialog, ffDialogButton, firefoxSkip, launchFirefox, managed, startProxy, waitForFfDialog } from './firefox-helpers.mjs';
import { startServer } from './fixtures/server.mjs';
import { SITE_HOSTS } from './fixtures/sites/index.mjs';

const HOSTS = Object.values(SITE_HOSTS);
const NAME = 'Tom Smith';
const HOLD = `Well done ${NAME}`;
const CLEAN = 'Lovely sunny afternoon';
const SCHOOL_CW = "Saint Paul's Catholic High School trip";
/** A link whose card names the pupil, and one whose card is clean (the fixtures' card data). */
const CARD_PUPIL = 'https://news.example/sports';
const CARD_CLEAN = 'https://news.example/fair';
const FILE_PUPIL = 'Tom_Smith.jpg';
const FILE_CLEAN = 'flowers.jpg';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Each site: its Post button, the key that posts (and the field it is pressed in), the
 * fields of a post with what the dialog says of each ("where"), and `fill(d, pupilIn)`:
 * every field filled as a teacher would, the pupil only in the field named `pupilIn`
 * (none when null). `file: true` fields attach a file (the Firefox runs leave them out,
 * but for the saved-alt case).
 * `thread`: adding drafts; `comment`: a separate box that posts on Enter.
 */
const SITES = {
  x: {
    editor: 'Draft.js',
    post: '[data-testid="tweetButton"]', key: 'Control+Enter', keyIn: '[data-testid="tweetTextarea_0"]',
    fields: [
      { name: 'body', where: null, mark: '[data-testid="tweetTextarea_0"]' },
      { name: 'poll', where: /in poll option 1/, mark: 'input[name="Choice1"]' },
      { name: 'saved alt', where: /in the image description/, file: true },
      { name: 'link card', where: /in the link preview/ },
      { name: 'file name', where: /in a file name/, file: true, words: 'Tom_Smith' },
    ],
    async fill(d, p, { files = true } = {}) {
      await d.type('[data-testid="tweetTextarea_0"]', `${p === 'body' ? HOLD : CLEAN} ${p === 'link card' ? CARD_PUPIL : CARD_CLEAN}`);
      await d.click('#add-poll');
      await d.type('input[name="Choice1"]', p === 'poll' ? HOLD : 'Yes');
      await d.type('input[name="Choice2"]', 'Not yet');
      if (!files) return;
      await d.attach('[data-testid="fileInput"]', p === 'file name' ? FILE_PUPIL : FILE_CLEAN);
      await d.click('[data-testid="altTextButton"]');
      await d.type('[data-testid="altTextInput"]', p === 'saved alt' ? HOLD : 'A vase of flowers');
      await d.click('[data-testid="applyButton"]');
    },
    thread: { add: '[data-testid="addButton"]', editor: (i) => `[data-testid="tweetTextarea_${i}"]` },
  },
  facebook: {
    editor: 'Lexical',
    post: '#compose [aria-label="Post"]', key: null,
    fields: [
      { name: 'body', where: null, mark: '#body' },
      { name: 'saved alt', where: /in the image description/, file: true },
      { name: 'file name', where: /in a file name/, file: true, words: 'Tom_Smith' },
    ],
    async fill(d, p) {
      await d.type('#body', p === 'body' ? HOLD : CLEAN);
      await d.attach('#files', p === 'file name' ? FILE_PUPIL : FILE_CLEAN);
      await d.click('#media [role="button"]');
      await d.type('#alt-dialog textarea', p === 'saved alt' ? HOLD : 'A vase of flowers');
      await d.click('#alt-save');
    },
    comment: { field: '#comment', counter: '__comments' },
  },
  instagram: {
    editor: 'Lexical (caption), textarea (comment)',
    post: '#share', key: null,
    fields: [
      { name: 'caption', where: null, mark: '#caption' },
      { name: 'alt text', where: /in the image description/, file: true, mark: 'input[placeholder="Write alt text..."]' },
      { name: 'file name', where: /in a file name/, file: true, words: 'Tom_Smith' },
    ],
    async fill(d, p) {
      await d.attach('#files', p === 'file name' ? FILE_PUPIL : FILE_CLEAN);
      await d.type('#caption', p === 'caption' ? HOLD : CLEAN);
      await d.type('input[placeholder="Write alt text..."]', p === 'alt text' ? HOLD : 'A vase of flowers');
    },
    comment: { field: '#comment', counter: '__comments' },
  },
  linkedin: {
    editor: 'Quill',
    post: '.share-actions__primary-action', key: 'Control+Enter', keyIn: '.ql-editor',
    fields: [
      { name: 'body', where: null, mark: '.ql-editor' },
      { name: 'saved alt', where: /in the image description/, file: true },
      { name: 'link card', where: /in the link preview/ },
      { name: 'file name', where: /in a file name/, file: true, words: 'Tom_Smith' },
    ],
    async fill(d, p) {
      await d.type('.ql-editor', `${p === 'body' ? HOLD : CLEAN} ${p === 'link card' ? CARD_PUPIL : CARD_CLEAN}`);
      await d.attach('#files', p === 'file name' ? FILE_PUPIL : FILE_CLEAN);
      await d.click('#media button');
      await d.type('#alt-text-input', p === 'saved alt' ? HOLD : 'A vase of flowers');
      await d.click('#alt-save');
    },
  },
  threads: {
    editor: 'Lexical',
    post: '#post', key: 'Control+Enter', keyIn: '#thread [role="textbox"]',
    fields: [
      { name: 'body', where: null, mark: '#thread [role="textbox"]' },
      { name: 'saved alt', where: /in the image description/, file: true },
      { name: 'file name', where: /in a file name/, file: true, words: 'Tom_Smith' },
    ],
    async fill(d, p) {
      await d.type('#thread [role="textbox"]', p === 'body' ? HOLD : CLEAN);
      await d.attach('#files', p === 'file name' ? FILE_PUPIL : FILE_CLEAN);
      await d.click('#media [role="button"]');
      await d.type('#alt-dialog textarea', p === 'saved alt' ? HOLD : 'A vase of flowers');
      await d.click('#alt-done');
    },
    thread: { add: '#add', editor: (i) => `#thread [role="textbox"]:nth-child(${i + 1})` },
  },
  bluesky: {
    editor: 'ProseMirror (TipTap)',
    post: '[data-testid="composerPublishBtn"]', key: 'Control+Enter', keyIn: '.ProseMirror',
    fields: [
      { name: 'body', where: null, mark: '.ProseMirror' },
      { name: 'file name', where: /in a file name/, file: true, words: 'Tom_Smith' },
    ],
    async fill(d, p, { files = true } = {}) {
      await d.type('.ProseMirror', p === 'body' ? HOLD : CLEAN);
      if (files) await d.attach('#files', p === 'file name' ? FILE_PUPIL : FILE_CLEAN);
    },
    thread: { add: '[data-testid="composerAddPostBtn"]', editor: (i) => `#thread .editor-host:nth-child(${i + 1}) .ProseMirror` },
  },
  reddit: {
    editor: 'textarea in a shadow root (title), Lexical (body)',
    post: '#submit-post-button', key: 'Control+Enter', keyIn: '[slot="rte"]',
    fields: [
      { name: 'title', where: /in the title/, mark: 'faceplate-textarea-input textarea' },
      { name: 'link URL', where: /in a link/, words: 'Tom_Smith', mark: 'textarea[name="link"]' },
      { name: 'body', where: null, mark: '[slot="rte"]' },
      { name: 'file name', where: /in a file name/, file: true, words: 'Tom_Smith' },
    ],
    async fill(d, p) {
      await d.type('faceplate-textarea-input textarea', p === 'title' ? HOLD : 'Sunny afternoon');
      await d.type('textarea[name="link"]', p === 'link URL' ? 'https://news.example/Tom_Smith' : CARD_CLEAN);
      await d.type('[slot="rte"]', p === 'body' ? HOLD : CLEAN);
      await d.attach('#files', p === 'file name' ? FILE_PUPIL : FILE_CLEAN);
    },
  },
  youtube: {
    editor: 'plain contenteditable',
    post: '#submit-button button', key: 'Control+Enter', keyIn: '#contenteditable-root',
    fields: [{ name: 'comment', where: null, mark: '#contenteditable-root' }],
    async fill(d, p) { await d.type('#contenteditable-root', p === 'comment' ? HOLD : CLEAN); },
  },
  tiktok: {
    editor: 'Draft.js',
    post: '[data-e2e="comment-post"]', key: 'Enter', keyIn: '[data-e2e="comment-input"] .public-DraftEditor-content',
    fields: [{ name: 'comment', where: null, mark: '[data-e2e="comment-input"] .public-DraftEditor-content' }],
    async fill(d, p) { await d.type('[data-e2e="comment-input"] .public-DraftEditor-content', p === 'comment' ? HOLD : CLEAN); },
  },
  mastodon: {
    editor: 'textarea (and text inputs)',
    post: '.compose-form__publish-button-wrapper button', key: 'Control+Enter', keyIn: 'textarea',
    fields: [
      { name: 'content warning', where: /in the content warning/, mark: '#cw-spoiler-input' },
      { name: 'body', where: null, mark: 'textarea' },
      { name: 'poll', where: /in poll option 2/, mark: '.compose-form__poll-wrapper li:nth-child(2) input' },
      { name: 'file name', where: /in a file name/, file: true, words: 'Tom_Smith' },
    ],
    async fill(d, p, { files = true } = {}) {
      await d.click('#cw-toggle');
      await d.type('#cw-spoiler-input', p === 'content warning' ? HOLD : 'Spoilers for the final');
      await d.type('textarea', p === 'body' ? HOLD : CLEAN);
      await d.click('#poll-toggle');
      await d.type('.compose-form__poll-wrapper li:nth-child(1) input', 'Yes');
      await d.type('.compose-form__poll-wrapper li:nth-child(2) input', p === 'poll' ? HOLD : 'Not yet');
      if (files) await d.attach('#files', p === 'file name' ? FILE_PUPIL : FILE_CLEAN);
    },
  },
};

/** A page of a site as the tests drive it, in Chromium (Playwright). */
function chromiumDriver(page, errors = []) {
  return {
    page,
    async close() { await page.close(); assert.deepEqual(errors, [], 'no errors on the page'); },
    click: (sel) => page.locator(sel).first().click(),
    async type(sel, text) { await page.locator(sel).first().click(); await page.keyboard.type(text); },
    // Into a field near its top left corner: after "Edit draft" the card of the words the
    // caret was put in may stand over the middle of the field below them.
    clickCorner: (sel) => page.locator(sel).first().click({ position: { x: 4, y: 4 } }),
    attach: (sel, name) => page.locator(sel).first().setInputFiles({ name, mimeType: 'image/jpeg', buffer: JPEG }),
    press: (combo) => page.keyboard.press(combo),
    /** A highlight box inside the element `sel` (the words are marked where they were typed). */
    async highlightIn(sel) {
      const r = await page.locator(sel).first().boundingBox();
      const inside = (b) => b.x >= r.x - 2 && b.x + b.w <= r.x + r.width + 2 && b.y >= r.y - 2 && b.y + b.h <= r.y + r.height + 2;
      await until(async () => (await boxes(page)).some(inside), `a highlight in ${sel}`, 10_000);
    },
    count: (counter = '__posted') => page.evaluate((c) => window[c].length, counter),
    dialog: () => waitForDialogState(page, 'findings'),
    open: () => dialogOpen(page),
    edit: () => dialogButton(page, page, 'edit'),
  };
}

/** The same in Firefox (puppeteer-core over WebDriver BiDi). */
function firefoxDriver(page) {
  let files = null; // where attached files are written, removed with the page
  return {
    page,
    async close() { await page.close(); if (files) rmSync(files, { recursive: true, force: true }); },
    // Puppeteer does not wait for an element as Playwright's locators do: a field the site
    // adds on a click (the next post of a thread) may be a frame away, so wait for it first.
    async click(sel) { await page.waitForSelector(sel, { visible: true }); await page.click(sel); },
    async type(sel, text) { await this.click(sel); await page.keyboard.type(text); },
    async clickCorner(sel) { await page.waitForSelector(sel, { visible: true }); await page.click(sel, { offset: { x: 4, y: 4 } }); },
    // WebDriver BiDi sets a file input from paths: a file of that name, as a teacher picks it.
    async attach(sel, name) {
      files ??= mkdtempSync(join(tmpdir(), 'postsafe-attach-'));
      const file = join(files, name);
      writeFileSync(file, JPEG);
      await page.waitForSelector(sel);
      await (await page.$(sel)).uploadFile(file);
    },
    async press(combo) {
      const keys = combo.split('+');
      for (const k of keys.slice(0, -1)) await page.keyboard.down(k);
      await page.keyboard.press(keys.at(-1));
      for (const k of keys.slice(0, -1).reverse()) await page.keyboard.up(k);
    },
    count: (counter = '__posted') => page.evaluate((c) => window[c].length, counter),
    dialog: () => waitForFfDialog(page, 'findings'),
    open: async () => !!(await ffDialog(page)),
    edit: () => ffDialogButton(page, 'edit'),
  };
}

/** The dialog holds the post and lists the pupil (or `category`) `where` it is; returns the item. */
async function assertHeld(d, where, { category = 'pupil', words } = {}) {
  words ??= category === 'pupil' ? NAME : words;
  const info = await d.dialog();
  const item = info.items.find((i) => i.category === category && i.text.includes(words));
  assert.ok(item, `the dialog lists the ${category} “${words}”: ${JSON.stringify(info.items)}`);
  if (where) assert.match(item.text, where, `it says where: ${item.text}`);
  return item;
}

/** The cases of one browser; `open(id)` gives a driver on a fresh page of site `id`. */
function siteCases(ids, open, { files = true } = {}) {
  for (const id of ids) {
    const site = SITES[id];
    describe(id, () => {
      for (const field of site.fields.filter((f) => files || !f.file)) {
        test(`a pupil only in the ${field.name} is held by the Post button${site.key ? ` and by ${site.key}` : ''}`, async () => {
          const d = await open(id);
          await site.fill(d, field.name, { files });
          // Highlighted where it was typed, as the teacher types (Chromium: the overlay read through DevTools).
          if (field.mark && d.highlightIn) await d.highlightIn(field.mark);
          await d.click(site.post);
          await assertHeld(d, field.where, { words: field.words });
          await d.edit();
          if (site.key) {
            await d.clickCorner(site.keyIn);
            await d.press(site.key);
            await assertHeld(d, field.where, { words: field.words });
            await d.edit();
          }
          assert.equal(await d.count(), 0, 'nothing was posted');
          await d.close();
        });
      }

      test('a clean post with every field filled posts exactly once', async () => {
        const d = await open(id);
        await site.fill(d, null, { files });
        await d.click(site.post);
        const end = Date.now() + 10_000;
        while ((await d.count()) < 1) {
          if (await d.open()) assert.fail(`a clean post was held: ${JSON.stringify(await d.dialog())}`);
          if (Date.now() > end) assert.fail('the clean post was never posted');
          await sleep(50);
        }
        await sleep(300);
        assert.equal(await d.count(), 1, 'posted exactly once');
        assert.equal(await d.open(), false);
        const [posted] = await d.page.evaluate(() => window.__posted);
        assert.ok(JSON.stringify(posted).includes(CLEAN), `the post carried its fields: ${JSON.stringify(posted)}`);
        await d.close();
      });

      if (site.thread) {
        test('a thread of three drafts with the pupil only in the 3rd is held, "in the 3rd post of the thread"', async () => {
          const d = await open(id);
          await d.type(site.thread.editor(0), CLEAN);
          for (const i of [1, 2]) {
            await d.click(site.thread.add);
            await d.type(site.thread.editor(i), i === 2 ? HOLD : 'Thank you all');
          }
          if (d.highlightIn) await d.highlightIn(site.thread.editor(2));
          await d.click(site.post);
          await assertHeld(d, /in the 3rd post of the thread/);
          await d.edit();
          if (site.key) {
            await d.clickCorner(site.thread.editor(0));
            await d.press(site.key);
            await assertHeld(d, /in the 3rd post of the thread/);
            await d.edit();
          }
          assert.equal(await d.count(), 0);
          await d.close();
        });
      }

      if (site.comment) {
        test('a comment naming a pupil is held on Enter; a clean one posts once', async () => {
          const d = await open(id);
          await d.type(site.comment.field, HOLD);
          await d.press('Enter');
          await assertHeld(d, null);
          await d.edit();
          assert.equal(await d.count(site.comment.counter), 0);
          await d.close();
          const c = await open(id);
          await c.type(site.comment.field, CLEAN);
          await c.press('Enter');
          const end = Date.now() + 10_000;
          while ((await c.count(site.comment.counter)) < 1) {
            if (Date.now() > end) assert.fail('the clean comment was never posted');
            await sleep(50);
          }
          await sleep(300);
          assert.equal(await c.count(site.comment.counter), 1);
          await c.close();
        });
      }

      if (id === 'mastodon') {
        test('a content warning naming the school is held, "in the content warning"', async () => {
          const d = await open(id);
          await d.click('#cw-toggle');
          await d.type('#cw-spoiler-input', SCHOOL_CW);
          await d.type('textarea', CLEAN);
          await d.press('Control+Enter');
          await assertHeld(d, /in the content warning/, { category: 'school', words: "Saint Paul's Catholic High School" });
          await d.edit();
          assert.equal(await d.count(), 0);
          await d.close();
        });
      }
    });
  }
}

/**
 * Issue 14's "alt saved then Post": on X, a description typed in "Add description" and
 * saved (the field closed) is the image's alt, which the post carries: Post is held.
 */
function savedAltCase(open, shotName) {
  test('X: a description saved in "Add description", then Post, is held (the saved alt is what the post carries)', async () => {
    const d = await open('x');
    await d.type('[data-testid="tweetTextarea_0"]', CLEAN);
    await d.attach('[data-testid="fileInput"]', FILE_CLEAN);
    await d.click('[data-testid="altTextButton"]');
    await d.type('[data-testid="altTextInput"]', HOLD);
    await d.click('[data-testid="applyButton"]');
    assert.equal(await d.page.evaluate(() => document.querySelector('[data-testid="altTextInput"]').checkVisibility()), false, 'the description field is closed');
    await d.click(SITES.x.post);
    await assertHeld(d, /in the image description/);
    await d.page.screenshot({ path: shot(shotName) });
    await d.edit();
    assert.equal(await d.count(), 0);
    await d.close();
  });
}

describe('sites in Chromium', () => {
  let tmp, srv, proxy, env;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'postsafe-sites-'));
    srv = await startServer({ tls: { ...certificate(tmp, HOSTS), port: 0 }, sites: true });
    proxy = await startProxy(Number(new URL(srv.base).port), HOSTS);
    env = await launch(undefined, { proxy: proxy.port });
    await importPack(env);
  });
  after(async () => {
    await env?.close();
    await proxy?.close();
    await srv?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  async function open(id) {
    const page = await env.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`https://${SITE_HOSTS[id]}/site/${id}`);
    await page.waitForFunction(() => window.__ready);
    return chromiumDriver(page, errors);
  }

  siteCases(Object.keys(SITES), open);

  savedAltCase(open, 'site-x-saved-alt');

  test('nothing left the machine: only the fixture sites were reached', () => {
    // A hit is "host:443" (CONNECT) or a plain-HTTP URL; Chromium's own update checks are its own.
    const host = (h) => (h.includes('://') ? new URL(h).hostname : h.split(':')[0]);
    const foreign = proxy.hits.filter((h) => !HOSTS.some((s) => h === `${s}:443`) && !/(^|\.)(google\.com|googleapis\.com|gstatic\.com|gvt1\.com|gvt2\.com|chromium\.org)$/.test(host(h)));
    assert.deepEqual(foreign, []);
  });
});

const skip = firefoxSkip();
describe('sites in Firefox', { skip }, () => {
  let tmp, srv, proxy, ff;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'postsafe-sites-ff-'));
    srv = await startServer({ tls: { ...certificate(tmp, HOSTS), port: 0 }, sites: true });
    proxy = await startProxy(Number(new URL(srv.base).port), HOSTS);
    ff = await launchFirefox({ proxy: proxy.port, policies: managed({ packs: [JSON.parse(readFileSync(PACK, 'utf8'))] }) });
  });
  after(async () => {
    await ff?.close();
    await proxy?.close();
    await srv?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  async function open(id) {
    const page = await ff.browser.newPage();
    await page.goto(`https://${SITE_HOSTS[id]}/site/${id}`);
    await page.waitForFunction(() => window.__ready);
    return firefoxDriver(page);
  }

  siteCases(['x', 'bluesky', 'mastodon'], open, { files: false });
  savedAltCase(open, 'firefox-site-x-saved-alt');
});
