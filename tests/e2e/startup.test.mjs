// No silent pass while starting (issue 17): a Post pressed before the extension is
// ready is held until its check is done. Headless Chromium with dist/chrome, on a
// "Share on X" fixture whose draft the page fills in as it loads; the service worker
// is stopped (CDP ServiceWorker.stopAllWorkers) so that each page meets a cold start.
// Prints the cold-start figures: page load → verdict, example pack and a hashed
// 30,000-pupil pack, p50 and worst of 20 starts, with the worker's own breakdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  afterLoad, assertNoNetwork, browserForTests, clickOverlay, dialogButton, dialogInfo, dialogStates, recordDialogStates, shareUrl, shot, stopWorker, waitForDialogState,
} from './helpers.mjs';
import { EXAMPLE, hashed30k, plain30k, summary } from './packs.mjs';

const NAMED = 'Well done Tom Smith on sports day!';
const CLEAN = 'Lovely sunny afternoon on the playing field.';
const STARTS = Number(process.env.POSTSAFE_COLD_STARTS ?? 20);

const ctx = browserForTests();

const posted = (page) => page.evaluate(() => window.__posted.map((p) => p.text));
const post = (page) => page.getByRole('button', { name: 'Post', exact: true }).click();

/** Open the share page for `text` and press Post `ms` after its load event. */
async function shareAndPost(text, ms = 100) {
  const page = await ctx.env.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(shareUrl(ctx.srv.base, text));
  await recordDialogStates(page);
  await afterLoad(page, ms);
  await post(page);
  return { page, errors };
}

/** The running service worker (the one a content script started last). */
async function worker() {
  return ctx.env.context.serviceWorkers()[0] ?? ctx.env.context.waitForEvent('serviceworker', { timeout: 20_000 });
}

test('a page-filled draft naming a pupil, Post pressed 100 ms after load on a cold start, is held with the verdict', async () => {
  await stopWorker(ctx.env);
  const { page, errors } = await shareAndPost(NAMED);
  const info = await waitForDialogState(page, 'findings');
  assert.equal(info.title, 'Check this post before it goes out');
  assert.ok(info.items.some((i) => i.category === 'pupil' && i.text.includes('Tom Smith')), JSON.stringify(info.items));
  // Either the check was done by the time of the click (the worker had started at
  // document_start) or the dialog said "Checking this post…" first; never a failure.
  const states = (await dialogStates(page)).map((s) => s.state);
  assert.ok(['checking,findings', 'findings'].includes(states.join()), `dialog states: ${states}`);
  await page.screenshot({ path: shot('startup-held-verdict'), caret: 'initial' });
  assert.deepEqual(await posted(page), []);

  // The service worker stopped again between two posts changes nothing: Edit, add a
  // word (a new check needed on a stopped worker), Ctrl+Enter: held with the verdict.
  await dialogButton(page, page, 'edit');
  await stopWorker(ctx.env);
  await page.keyboard.press('End');
  await page.keyboard.type(' Great');
  await page.keyboard.press('Control+Enter');
  const again = await waitForDialogState(page, 'findings');
  assert.ok(again.items.some((i) => i.category === 'pupil' && i.text.includes('Tom Smith')), JSON.stringify(again.items));
  assert.deepEqual(await posted(page), []);

  // "Post anyway" posts it, exactly once.
  await dialogButton(page, page, 'post');
  await page.waitForFunction(() => window.__posted.length >= 1);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  assert.deepEqual(await posted(page), [`${NAMED} Great`]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a clean page-filled draft, Post pressed 100 ms after load on a cold start, posts once by itself; a second post after another stop too', async () => {
  await stopWorker(ctx.env);
  const { page } = await shareAndPost(CLEAN);
  await page.waitForFunction(() => window.__posted.length >= 1, null, { timeout: 15_000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  assert.deepEqual(await posted(page), [CLEAN], 'posted exactly once, with no second click');
  assert.equal(await dialogInfo(page), null, 'no dialog left open');
  const states = (await dialogStates(page)).map((s) => s.state);
  assert.ok(!states.includes('findings') && !states.includes('failed'), `no verdict or failure was shown: ${states}`);

  await stopWorker(ctx.env);
  await page.locator('#editor').click();
  await page.keyboard.press('End');
  await page.keyboard.type(' Thank you all.');
  await post(page);
  await page.waitForFunction(() => window.__posted.length >= 2, null, { timeout: 15_000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  assert.deepEqual(await posted(page), [CLEAN, `${CLEAN} Thank you all.`]);
  assert.equal(await dialogInfo(page), null);
  await page.close();
});

test('a check that takes long says "Checking this post…" and then gives the verdict in the same dialog', async () => {
  // Warm engine, then the worker is kept busy for 2 s (as a slow laptop building a big pack would be).
  const { page: warmPage } = await shareAndPost(CLEAN);
  await warmPage.waitForFunction(() => window.__posted.length >= 1);
  await warmPage.close();
  const page = await ctx.env.context.newPage();
  await page.goto(shareUrl(ctx.srv.base, NAMED));
  await recordDialogStates(page);
  await page.waitForFunction(() => true);
  const sw = await worker();
  const busy = sw.evaluate(() => { const end = Date.now() + 2000; while (Date.now() < end); });
  await post(page);
  const checking = await waitForDialogState(page, 'checking', 5000);
  assert.equal(checking.title, 'Checking this post…');
  assert.equal(checking.focused, 'edit', 'focus is in the dialog, on "Edit draft"');
  await page.screenshot({ path: shot('startup-checking'), caret: 'initial' });
  await busy;
  const info = await waitForDialogState(page, 'findings');
  assert.ok(info.items.some((i) => i.category === 'pupil'), JSON.stringify(info.items));
  assert.equal(info.focused, 'edit');
  assert.deepEqual((await dialogStates(page)).map((s) => s.state), ['checking', 'findings']);
  await dialogButton(page, page, 'edit');
  assert.deepEqual(await posted(page), []);
  await page.close();
});

test('a check not ready within 10 s: "could not check this post", Try again gives the verdict', async () => {
  const page = await ctx.env.context.newPage();
  await page.goto(shareUrl(ctx.srv.base, NAMED));
  const sw = await worker();
  const busy = sw.evaluate(() => { const end = Date.now() + 12_000; while (Date.now() < end); });
  await post(page);
  await waitForDialogState(page, 'checking', 5000);
  const failed = await waitForDialogState(page, 'timed-out', 15_000);
  assert.equal(failed.title, 'Postsafe could not check this post');
  assert.deepEqual([...failed.buttons].sort(), ['edit', 'post', 'retry']);
  await page.screenshot({ path: shot('startup-timed-out'), caret: 'initial' });
  assert.deepEqual(await posted(page), []);
  await busy;
  await clickOverlay(page, page, 'dialog[open] button[data-action="retry"]');
  const info = await waitForDialogState(page, 'findings');
  assert.ok(info.items.some((i) => i.category === 'pupil'), JSON.stringify(info.items));
  await dialogButton(page, page, 'edit');
  assert.deepEqual(await posted(page), []);
  await page.close();
});

/**
 * One cold start: the worker stopped, the share page opened with a clean draft, Post
 * pressed (a real mouse click) as soon as the page has loaded; the check is done when
 * the post goes out by itself. Milliseconds: load → posted, click → posted, and the
 * worker's own steps (User Timing measures of engine.ts).
 */
let postAt = null; // where Post is (the page's layout does not change): one click, no look-up, once loaded
async function coldStart() {
  await stopWorker(ctx.env);
  const page = await ctx.env.context.newPage();
  await page.goto(shareUrl(ctx.srv.base, CLEAN));
  if (!postAt) { const b = await page.getByRole('button', { name: 'Post', exact: true }).boundingBox(); postAt = [b.x + b.width / 2, b.y + b.height / 2]; }
  await page.mouse.click(...postAt);
  await page.waitForFunction(() => window.__posted.length >= 1, null, { timeout: 30_000 });
  const t = await page.evaluate(() => ({
    load: performance.getEntriesByType('navigation')[0].loadEventEnd, click: window.__lastPointerdown, posted: window.__posted[0].at,
  }));
  const sw = await worker();
  const steps = await sw.evaluate(() => ({
    ...Object.fromEntries(['postsafe:wasm', 'postsafe:read', 'postsafe:build']
      .map((n) => [n.slice(9), performance.getEntriesByName(n)[0]?.duration ?? NaN])),
    rosters: performance.getEntriesByName('postsafe:rosters')[0]?.detail ?? null,
  }));
  await page.close();
  return { load: t.posted - t.load, click: t.posted - t.click, ...steps };
}

/** Make `pack` the one imported pack, and wait until the engine has it. */
async function usePack(pack) {
  const ext = await ctx.env.context.newPage();
  await ext.goto(`chrome-extension://${ctx.env.extensionId}/options.html`);
  await ext.evaluate(async (json) => {
    for (let left = (await chrome.runtime.sendMessage({ kind: 'getSettings' })).packs.length; left > 0; left--) {
      await chrome.runtime.sendMessage({ kind: 'removePack', index: 0 });
    }
    const res = await chrome.runtime.sendMessage({ kind: 'importPack', json });
    if (res.kind !== 'ok') throw new Error(res.message);
  }, readFileSync(pack.file, 'utf8'));
  await ext.waitForFunction(async (id) => {
    const res = await chrome.runtime.sendMessage({ kind: 'status' });
    return res.kind === 'status' && res.status.packs.some((p) => p.id === id);
  }, pack.id, { timeout: 30_000, polling: 250 });
  await ext.close();
  // The worker keeps the new engine's roster image just after its build.
  const sw = await worker();
  await sw.evaluate(() => new Promise((resolve, reject) => {
    const end = Date.now() + 30_000;
    const last = (name) => performance.getEntriesByName(name).at(-1)?.startTime ?? -1;
    const look = () => (last('postsafe:image-kept') > last('postsafe:rosters') ? resolve()
      : Date.now() > end ? reject(new Error('no roster image kept')) : setTimeout(look, 100));
    look();
  }));
}

test(`cold start, page load → checked: p50 and worst of ${STARTS} starts (printed); each start loads the roster from the last engine's image`, async () => {
  const lines = [];
  for (const pack of [EXAMPLE, plain30k(), hashed30k()]) {
    await usePack(pack);
    const runs = [];
    for (let i = 0; i < STARTS; i++) runs.push(await coldStart());
    // The pack's roster came from the image the import's engine left, at every start.
    assert.deepEqual([...new Set(runs.map((r) => JSON.stringify(r.rosters)))], [JSON.stringify({ count: 1, fromImage: 1 })], pack.label);
    // And on a cold start a pupil of this pack's roster is held with the verdict.
    await stopWorker(ctx.env);
    const { page } = await shareAndPost(`Well done ${pack.pupil} at sports day`);
    const info = await waitForDialogState(page, 'findings', 30_000);
    assert.ok(info.items.some((i) => i.category === 'pupil' && i.text.includes(pack.pupil)), JSON.stringify(info.items));
    assert.deepEqual(await posted(page), []);
    await page.close();
    const f = (k) => { const s = summary(runs.map((r) => r[k])); return `${s.p50.toFixed(0)} / ${s.worst.toFixed(0)} ms`; };
    lines.push(`chromium cold start, ${pack.label}: page load → checked (Post pressed at load) p50 / worst ${f('load')} (click → checked ${f('click')}); `
      + `worker from its start: wasm ready ${f('wasm')}, packs read ${f('read')}; engine build ${f('build')} (${STARTS} starts)`);
  }
  console.log(lines.join('\n'));
  await usePack({ ...EXAMPLE, file: new URL('./pack.json', import.meta.url).pathname, id: 'e2e' });
});

test('no request went anywhere but 127.0.0.1', () => assertNoNetwork(ctx.env));
