// End-to-end: the built extension (dist/chrome, real WASM engine) in headless
// Chromium, on fixture composers built from the real editor libraries.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TINY_JPEG, assertNoNetwork, boxes, close, controlOffsetsAt, dialogButton, dialogInfo, dialogOpen, EXTENSION_ID, importPack, launch, overlayCount, overlayText, shot, until, waitForBoxes, waitForDialog, waitForDialogState, wordRects } from './helpers.mjs';
import { EDITORS, startServer } from './fixtures/server.mjs';

const EDITOR = {
  textarea: '#editor',
  shadow: '#editor-host .ce',
  lexical: '#editor',
  draft: '.public-DraftEditor-content',
  prosemirror: '.ProseMirror',
  quill: '.ql-editor',
};
// Two lines, and an emoji (two UTF-16 code units) before the name: offsets must
// survive surrogate pairs and the paragraph break each editor makes of Enter.
const LINE1 = 'Sports day 🎉 was great';
const LINE2 = 'We had a great day with Tom Smith at the fair';
const DRAFT = `${LINE1}\n${LINE2}`;
const text = (page) => page.evaluate(() => window.__getText().replace(/\n+/g, '\n'));
async function typeDraft(page) {
  await page.keyboard.type(LINE1);
  await page.keyboard.press('Enter');
  await page.keyboard.type(LINE2);
}
const NAME = 'Tom Smith';
const CLEAN = 'Lovely sunny afternoon on the playing field.';

let srv;
let env;

before(async () => {
  srv = await startServer();
  env = await launch();
});

after(async () => {
  await env?.close();
  await srv?.close();
});

async function open(name, path = `/page/${name}`) {
  const page = await env.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${srv.base}${path}`);
  await page.waitForFunction(() => window.__ready);
  return { page, errors };
}

function selectionText(frame) {
  return frame.evaluate(() => {
    const a = document.activeElement;
    if (a instanceof HTMLTextAreaElement || a instanceof HTMLInputElement) return { inEditor: a === window.__editor, id: a.id, text: a.value.slice(a.selectionStart, a.selectionEnd) };
    const root = window.__editor.getRootNode();
    const sel = root.getSelection ? root.getSelection() : document.getSelection();
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return { inEditor: window.__editor.contains(active) || active === window.__editor, id: active?.id ?? '', text: sel.toString() };
  });
}

function cardText(frame) {
  return overlayText(frame, '.card');
}

/** Mutations of the editor subtree, less the editor's own focus bookkeeping (ProseMirror-focused). */
function mutations(frame) {
  return frame.evaluate(() => window.__mutations.filter((m) => {
    if (m.type !== 'attributes' || m.attr !== 'class') return true;
    const a = new Set((m.old ?? '').split(/\s+/).filter(Boolean));
    const b = new Set((m.now ?? '').split(/\s+/).filter(Boolean));
    const diff = [...a].filter((c) => !b.has(c)).concat([...b].filter((c) => !a.has(c)));
    return !diff.every((c) => /focus/i.test(c));
  }));
}

async function badge(url) {
  return env.sw.evaluate(async (url) => {
    const [tab] = await chrome.tabs.query({ url });
    return tab ? chrome.action.getBadgeText({ tabId: tab.id }) : null;
  }, url);
}

test('the extension loads with its fixed id and the test pack imports through the options page', async () => {
  assert.equal(env.extensionId, EXTENSION_ID);
  const packs = await importPack(env);
  assert.match(packs, /E2E Trust/);
});

for (const name of EDITORS) {
  test(`${name}: highlight, card, held post, edit, Ctrl+Enter, post anyway, clean post`, async () => {
    const { page, errors } = await open(name);
    const editor = page.locator(EDITOR[name]);
    await editor.click();
    await typeDraft(page);
    assert.equal(await text(page), DRAFT);
    const typedMutations = (await page.evaluate(() => window.__mutations.length));
    if (name !== 'textarea') assert.ok(typedMutations > 0, 'the fixture observer sees typing');

    // A highlight over exactly the pupil's name.
    const shown = await waitForBoxes(page, 1);
    assert.equal(shown.length, 1, `one highlight: ${JSON.stringify(shown)}`);
    const [box] = shown;
    assert.equal(box.category, 'pupil');
    if (name === 'textarea') {
      const midY = box.y + box.h / 2;
      const [a, b] = await controlOffsetsAt(page, '#editor', [[box.x + 1, midY], [box.x + box.w - 1, midY]]);
      const start = DRAFT.indexOf(NAME);
      assert.equal(DRAFT.slice(start, start + NAME.length), NAME);
      assert.equal(a?.offset, start, `box starts at "${NAME}" (${JSON.stringify(a)})`);
      assert.equal(b?.offset, start + NAME.length, `box ends at "${NAME}" (${JSON.stringify(b)})`);
      // The browser's own caret rects at those offsets bound the box.
      assert.ok(close(a.x, box.x, 1) && close(b.x, box.x + box.w, 1) && close(a.y, box.y, 1) && close(a.h, box.h, 1),
        `overlay ${JSON.stringify(box)} matches the caret rects ${JSON.stringify([a, b])}`);
    } else {
      const rects = await wordRects(page, NAME);
      assert.ok(rects?.length, 'the words are in the editor DOM');
      const r = rects[0];
      assert.ok(close(box.x, r.x, 1) && close(box.y, r.y, 1) && close(box.w, r.w, 1) && close(box.h, r.h, 1),
        `overlay ${JSON.stringify(box)} matches the words' range ${JSON.stringify(r)}`);
    }
    await until(async () => (await badge(`${srv.base}/page/${name}`)) === '1', 'badge "1"');

    // From here on Postsafe acts alone: the editor's DOM must not change.
    await page.evaluate(() => { window.__mutations.length = 0; });

    // Hover opens the card.
    await page.mouse.move(box.x + box.w / 2, box.y + box.h / 2);
    const card = await until(() => cardText(page), 'hover card');
    assert.match(card, /Pupil/i);
    assert.match(card, /Tom Smith/);
    await page.screenshot({ path: shot(`${name}-highlight`), caret: 'initial' });

    // Post is held, with an accessible dialog.
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    const info = await waitForDialog(page);
    assert.equal(info.role, 'dialog');
    assert.equal(info.modal, 'true');
    assert.ok(info.items.some((i) => i.category === 'pupil' && i.text.includes(NAME)), JSON.stringify(info.items));
    assert.equal(info.focused, 'edit', 'focus starts on "Edit draft"');
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      assert.ok(['edit', 'post'].includes((await dialogInfo(page)).focused), 'focus stays in the dialog');
    }
    await page.screenshot({ path: shot(`${name}-dialog`), caret: 'initial' });
    assert.deepEqual(await page.evaluate(() => window.__posted), []);
    assert.deepEqual(await mutations(page), [], 'Postsafe changed the editor DOM');

    // Edit draft: nothing posted, text unchanged, focus back on the words.
    await dialogButton(page, page, 'edit');
    assert.equal(await text(page), DRAFT);
    const sel = await until(async () => { const s = await selectionText(page); return s.inEditor && s.text === NAME ? s : null; }, 'focus on the finding');
    assert.equal(sel.text, NAME);
    // Keyboard focus on the words shows the card too.
    await page.mouse.move(5, 5);
    assert.match(await until(() => cardText(page), 'card at the caret'), /Tom Smith/);

    // Ctrl+Enter is held too; Esc closes the dialog.
    await page.keyboard.press('Control+Enter');
    await waitForDialog(page);
    await page.keyboard.press('Escape');
    await until(async () => !(await dialogOpen(page)), 'the dialog to close');
    assert.deepEqual(await page.evaluate(() => window.__posted), []);
    assert.equal(await text(page), DRAFT);

    // Post anyway posts exactly once.
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await waitForDialog(page);
    await dialogButton(page, page, 'post');
    await page.waitForFunction(() => window.__posted.length >= 1);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    const posted = await page.evaluate(() => window.__posted);
    assert.equal(posted.length, 1, 'posted exactly once');
    assert.equal(posted[0].text.replace(/\n+/g, '\n'), DRAFT);
    assert.deepEqual(await mutations(page), [], 'Postsafe changed the editor DOM');
    assert.deepEqual(errors, []);
    await page.close();

    // A clean draft posts straight away, with no dialog.
    const clean = await open(name);
    await clean.page.locator(EDITOR[name]).click();
    await clean.page.keyboard.type(CLEAN);
    await clean.page.getByRole('button', { name: 'Post', exact: true }).click();
    await clean.page.waitForFunction(() => window.__posted.length >= 1, null, { timeout: 5000 });
    const done = await clean.page.evaluate(() => ({ posted: window.__posted, delay: window.__posted[0].at - window.__lastPointerdown }));
    assert.equal(done.posted.length, 1);
    assert.equal(done.posted[0].text, CLEAN);
    assert.ok(done.delay < 250, `clean post took ${done.delay} ms`);
    assert.equal(await dialogInfo(clean.page), null);
    assert.deepEqual(await boxes(clean.page), []);
    await clean.page.close();
  });
}

test('alt text and an attached image are checked as their own fields', async () => {
  for (const name of ['textarea', 'lexical']) {
    const { page } = await open(name);
    await page.locator(EDITOR[name]).click();
    await page.keyboard.type('Sports day was brilliant');
    await page.locator('#alt').click();
    await page.keyboard.type('our school logo');
    const shown = await until(async () => { const b = await boxes(page); return b.length ? b : null; }, 'alt highlight');
    const alt = await page.locator('#alt').boundingBox();
    for (const b of shown) {
      assert.ok(b.x >= alt.x && b.x + b.w <= alt.x + alt.width && b.y >= alt.y && b.y + b.h <= alt.y + alt.height, `highlight ${JSON.stringify(b)} inside the alt field ${JSON.stringify(alt)}`);
    }
    const [first] = shown;
    const [edge] = await controlOffsetsAt(page, '#alt', [[first.x + 1, first.y + first.h / 2]]);
    assert.equal(edge?.node, 'control');
    assert.ok(close(edge.x, first.x, 1), `highlight starts at the caret rect ${JSON.stringify(edge)}`);
    await page.screenshot({ path: shot(`${name}-alt-highlight`), caret: 'initial' });
    await page.locator('#files').setInputFiles({ name: 'sports-day.jpg', mimeType: 'image/jpeg', buffer: TINY_JPEG });
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    // The photo's own checks (its details, people in it) may keep "Checking this post…" a while.
    const info = await waitForDialogState(page, 'findings', 30_000);
    const altItem = info.items.find((i) => /image description/.test(i.text));
    assert.ok(altItem, `an alt-text finding is listed: ${JSON.stringify(info.items)}`);
    assert.match(altItem.text, /logo/i);
    const reminder = info.items.find((i) => i.category === 'image' && i.severity === 'info' && /uniform/.test(i.text));
    assert.ok(reminder, 'the image reminder is shown');
    await page.screenshot({ path: shot(`${name}-alt-dialog`), caret: 'initial' });
    const words = altItem.text.match(/“([^”]+)”/)[1];
    assert.equal(edge.offset, 'our school logo'.indexOf(words), `the highlight starts at “${words}”`);
    await dialogButton(page, page, 'edit');
    const sel = await until(async () => { const s = await selectionText(page); return s.id === 'alt' ? s : null; }, 'focus on the alt field');
    assert.equal(sel.text, words);
    assert.deepEqual(await page.evaluate(() => window.__posted), []);
    await page.close();
  }
});

test('a composer in a same-origin iframe is checked', async () => {
  const page = await env.context.newPage();
  await page.goto(`${srv.base}/frame`);
  const frame = await until(async () => { const f = page.frames().find((f) => f.url().endsWith('/page/textarea')); return f && (await f.evaluate(() => window.__ready)) ? f : null; }, 'iframe');
  await frame.locator('#editor').click();
  await typeDraft(page);
  const [box] = await waitForBoxes(frame, 1);
  assert.equal(box.category, 'pupil');
  await frame.getByRole('button', { name: 'Post', exact: true }).click();
  const info = await waitForDialog(frame);
  assert.ok(info.items.some((i) => i.text.includes(NAME)));
  await page.screenshot({ path: shot('iframe-dialog'), caret: 'initial' });
  await dialogButton(page, frame, 'post');
  await frame.waitForFunction(() => window.__posted.length === 1);
  await page.close();
});

test('the popup shows the engine, the packs and this page', async () => {
  const page = await env.context.newPage();
  await page.goto(`chrome-extension://${env.extensionId}/popup.html`);
  await page.locator('#engine[data-state="ok"]').waitFor();
  assert.match(await page.locator('#packs').innerText(), /E2E Trust/);
  await page.setViewportSize({ width: 380, height: 420 });
  await page.screenshot({ path: shot('popup') });
  await page.close();
});

test("the teacher's own terms, saved in the options page, are flagged; the allow list is honoured", async () => {
  const opts = await env.context.newPage();
  await opts.goto(`chrome-extension://${env.extensionId}/options.html`);
  await opts.locator('#terms').fill('Operation Nightjar');
  await opts.locator('#allow').fill('Smith Street');
  await opts.getByRole('button', { name: 'Save' }).click();
  await opts.locator('#message[data-state="ok"]').waitFor();
  await opts.locator('#pack-list li[data-pack-id="teacher"]').waitFor();
  await opts.screenshot({ path: shot('options') });
  const { page } = await open('textarea');
  await page.locator('#editor').click();
  await page.keyboard.type('Meeting on Smith Street about Operation Nightjar');
  const shown = await waitForBoxes(page, 1);
  assert.equal(shown.length, 1, JSON.stringify(shown));
  const [a] = await controlOffsetsAt(page, '#editor', [[shown[0].x + 1, shown[0].y + shown[0].h / 2]]);
  assert.equal(a.offset, 'Meeting on Smith Street about '.length, 'the highlight is on the teacher term');
  assert.ok(close(a.x, shown[0].x, 1), 'and starts exactly there');
  await page.close();
  await opts.locator('#terms').fill('');
  await opts.locator('#allow').fill('');
  await opts.getByRole('button', { name: 'Save' }).click();
  await opts.locator('#pack-list li[data-pack-id="teacher"]').waitFor({ state: 'detached' });
  await opts.close();
});

test('switching the site off stops highlights and holds; switching it on brings them back', async () => {
  const ext = await env.context.newPage();
  await ext.goto(`chrome-extension://${env.extensionId}/options.html`);
  const set = (enabled) => ext.evaluate((enabled) => chrome.runtime.sendMessage({ kind: 'setSiteEnabled', host: '127.0.0.1', enabled }), enabled);
  assert.deepEqual(await set(false), { kind: 'ok' });
  const { page } = await open('textarea');
  await page.locator('#editor').click();
  await typeDraft(page);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await page.waitForFunction(() => window.__posted.length === 1);
  assert.deepEqual(await boxes(page), []);
  assert.equal(await dialogInfo(page), null);
  assert.deepEqual(await set(true), { kind: 'ok' });
  await page.locator('#editor').press('Control+End');
  await page.keyboard.type('!');
  const [box] = await waitForBoxes(page, 1);
  assert.equal(box.category, 'pupil');
  await page.close();
  await ext.close();
});

test('when the browser stops the service worker, checking carries on without a false failure', async () => {
  const { page } = await open('textarea');
  await page.locator('#editor').click();
  await page.keyboard.type('Hello Tom Smith');
  await waitForBoxes(page, 1);
  await env.sw.evaluate(() => { globalThis.__generation = 'before'; });
  const cdp = await env.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await page.keyboard.type(' and Mrs Okafor');
  await waitForBoxes(page, 2);
  const workers = env.context.serviceWorkers();
  const generations = await Promise.all(workers.map((w) => w.evaluate(() => globalThis.__generation ?? 'restarted').catch(() => 'gone')));
  assert.ok(generations.includes('restarted'), `the worker was restarted: ${generations}`);
  assert.equal(await overlayCount(page, '.banner'), 0, 'no "could not check" banner');
  await page.close();
});

test('no request went anywhere but 127.0.0.1', () => {
  assert.ok(env.requests.some((u) => u.startsWith(srv.base)), 'the request listener saw the fixture pages');
  assertNoNetwork(env);
});
