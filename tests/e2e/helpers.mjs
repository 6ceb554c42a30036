// Shared by the e2e tests and the benchmark: launch headless Chromium with the
// built extension, a network trap, fixture server, and what the user sees.
import { chromium } from 'playwright-core';
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closer } from './closer.mjs';

process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * A picture to attach: a 16x16 flat blue JPEG (encoded by Chromium's canvas), a whole
 * picture with no one in it, so the face check finds nothing (a file of no pixels would
 * be "could not be checked for people", which holds the post).
 */
export const TINY_JPEG = Buffer.from('/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAQABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAX/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAABP/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AL4BYr//2Q==', 'base64');

export const ROOT = resolve(here, '../..');
/** The test build (extension/build.mjs --test): it also runs on the fixture pages on 127.0.0.1. */
export const DIST = process.env.POSTSAFE_DIST ?? join(ROOT, 'dist-test/chrome');
/** The builds that ship (dist/chrome, dist/firefox and their zips). */
export const SHIPPED = join(ROOT, 'dist');
export const PACK = join(here, 'pack.json');
export const SHOTS = join(here, 'screenshots');
export const EXTENSION_ID = 'mkodmldohocehlkdcdefllfhjpkgalkj';
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const EXPECTED_STRINGS = { couldNotCheck: 'Postsafe could not check this draft' };

/** Hosts of requests Chromium makes by itself (updates, safe browsing, etc.), never the page's or ours. */
const CHROMIUM_OWN = /(^|\.)(google\.com|googleapis\.com|gstatic\.com|gvt1\.com|gvt2\.com|googleusercontent\.com|chromium\.org)$/i;

export function requireDist(dist = DIST) {
  if (!existsSync(join(dist, 'manifest.json'))) throw new Error(`${dist} is missing: build first (./build.sh test, or node extension/build.mjs --test)`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
}

/** An HTTP proxy on loopback that answers nothing: every request that reaches it left the machine's loopback. */
export async function startTrap() {
  const hits = [];
  const server = createServer((req, res) => {
    hits.push({ method: req.method, host: new URL(req.url, 'http://invalid').hostname || req.headers.host, url: req.url });
    res.writeHead(403); res.end();
  });
  server.on('connect', (req, socket) => {
    hits.push({ method: 'CONNECT', host: req.url.split(':')[0], url: req.url });
    // The browser may reset the connection as it closes: that is no error of the test.
    socket.on('error', () => {});
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  const close = closer(server);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { port: server.address().port, hits, close };
}

/**
 * Chromium with the extension at `dist`. `proxy`: the port of a loopback proxy to use
 * instead of the trap (one that takes real site hosts to the fixture server and
 * refuses the rest, see sites.test.mjs); its certificates are then not checked.
 */
export async function launch(dist = DIST, { proxy } = {}) {
  requireDist(dist);
  const trap = await startTrap();
  const profile = mkdtempSync(join(tmpdir(), 'postsafe-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 900, height: 700 },
    ignoreHTTPSErrors: !!proxy,
    args: [
      `--disable-extensions-except=${dist}`, `--load-extension=${dist}`,
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
      `--proxy-server=http://127.0.0.1:${proxy ?? trap.port}`,
    ],
  });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  let [sw] = context.serviceWorkers();
  if (!sw) sw = await context.waitForEvent('serviceworker', { timeout: 20_000 });
  const extensionId = new URL(sw.url()).host;
  return {
    context, sw, extensionId, trap, requests,
    async close() {
      await context.close();
      await trap.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A throwaway copy of the built extension (to break on purpose); the caller removes it. */
export function distCopy(prefix, dist = DIST) {
  requireDist(dist);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(dist, dir, { recursive: true });
  return dir;
}

/**
 * What a teacher does: open a fixture page in a new tab, wait until its editor is
 * ready, click into the editor and type `text`. Returns the page.
 */
export async function compose(env, url, editor, text) {
  const page = await env.context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.__ready);
  await page.locator(editor).click();
  await page.keyboard.type(text);
  return page;
}

/** Nothing went anywhere but loopback: the pages' and extension's requests, and the proxy trap. */
export function assertNoNetwork(env) {
  const outside = env.requests.filter((u) => {
    const url = new URL(u);
    if (['chrome-extension:', 'data:', 'blob:', 'about:'].includes(url.protocol)) return false;
    return !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  });
  assert.deepEqual(outside, [], 'a page or the extension requested something off the machine');
  const foreign = env.trap.hits.filter((h) => !CHROMIUM_OWN.test(h.host));
  assert.deepEqual(foreign, [], 'something other than Chromium itself tried to reach the network');
}

/** Load the test pack (or `file`, whose pack id is `id`) the way an admin would: the options page's import. */
export async function importPack(env, file = PACK, id = 'e2e') {
  const page = await env.context.newPage();
  await page.goto(`chrome-extension://${env.extensionId}/options.html`);
  await page.locator('#import').setInputFiles(file);
  await page.locator(`#pack-list li[data-pack-id="${id}"]`).waitFor({ timeout: 30_000 });
  const text = await page.locator('#pack-list').innerText();
  await page.close();
  return text;
}

export function shot(name) {
  mkdirSync(SHOTS, { recursive: true });
  return join(SHOTS, `${name}.png`);
}

// ---------- the overlay, as the user sees it ----------
//
// The overlay's shadow root is closed: the page (and Playwright's selectors, which run
// in a page world) cannot see into it. The tests look where the user looks, through
// the DevTools protocol: code is evaluated in the extension's own content-script world
// of the frame (an isolated world, which the page cannot reach either), where
// chrome.dom.openOrClosedShadowRoot opens the overlay's root.

const worldsOf = new WeakMap();

/** A DevTools session on `page` that knows the extension's content-script world of each frame. */
async function worlds(page) {
  let w = worldsOf.get(page);
  if (w) return w;
  const cdp = await page.context().newCDPSession(page);
  const contexts = new Map(); // CDP frame id -> execution context id
  cdp.on('Runtime.executionContextCreated', ({ context: c }) => {
    // The extension's world: its fixed id, or (admin-install.test.mjs) the id of a package signed for the test.
    if (c.auxData?.type === 'isolated' && c.origin.startsWith('chrome-extension://')) contexts.set(c.auxData.frameId, c.id);
  });
  cdp.on('Runtime.executionContextDestroyed', (e) => {
    for (const [f, id] of contexts) if (id === e.executionContextId) contexts.delete(f);
  });
  cdp.on('Runtime.executionContextsCleared', () => contexts.clear());
  await cdp.send('Runtime.enable');
  w = { cdp, contexts };
  worldsOf.set(page, w);
  return w;
}

/** The CDP id of a Playwright frame (by its place in the frame tree). */
async function frameId(cdp, frame) {
  const { frameTree } = await cdp.send('Page.getFrameTree');
  if (!frame.parentFrame()) return frameTree.frame.id;
  const all = [];
  const walk = (t) => { all.push(t.frame); for (const c of t.childFrames ?? []) walk(c); };
  walk(frameTree);
  const hit = all.find((f) => f.parentId && f.url === frame.url() && (!frame.name() || f.name === frame.name()));
  if (!hit) throw new Error(`no frame ${frame.url()} in the page's frame tree`);
  return hit.id;
}

/** A Playwright page's main frame, or the frame itself. */
const asFrame = (f) => (typeof f.mainFrame === 'function' ? f.mainFrame() : f);

const OPEN_ROOT = `(() => {
  const host = document.querySelector('postsafe-overlay');
  if (!host) return null;
  return (globalThis.chrome?.dom?.openOrClosedShadowRoot?.(host)) ?? host.openOrClosedShadowRoot?.() ?? null;
})()`;

/**
 * `fn(root, arg)` evaluated in the extension's content-script world of `frame`, with the
 * overlay's (closed) shadow root, or null before the overlay exists. `fn` must be
 * self-contained; `arg` and the result are JSON values.
 */
export async function inOverlay(frameOrPage, fn, arg = null) {
  const frame = asFrame(frameOrPage);
  const page = frame.page();
  const { cdp, contexts } = await worlds(page);
  const fid = await frameId(cdp, frame);
  const end = Date.now() + 10_000;
  while (!contexts.has(fid)) {
    if (Date.now() > end) throw new Error(`the content script is not running in ${frame.url()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const r = await cdp.send('Runtime.evaluate', {
    expression: `(${fn})(${OPEN_ROOT}, ${JSON.stringify(arg)})`, contextId: contexts.get(fid), returnByValue: true, awaitPromise: true,
  });
  if (r.exceptionDetails) throw new Error(`in the overlay: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
  return r.result.value;
}

/** Polls `fn(root, arg)` in the overlay until it returns something truthy; returns that. */
export async function untilOverlay(frame, fn, arg = null, timeout = 10_000, what = 'the overlay') {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await inOverlay(frame, fn, arg);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** What the user reads in the overlay: the visible text of the first element matching `selector`, or null. */
export function overlayText(frame, selector) {
  return inOverlay(frame, (root, sel) => {
    const el = root?.querySelector(sel);
    return el && !el.hidden ? el.innerText : null;
  }, selector);
}

/** How many elements in the overlay match `selector`. */
export function overlayCount(frame, selector) {
  return inOverlay(frame, (root, sel) => root?.querySelectorAll(sel).length ?? 0, selector);
}

/** Waits for an element in the overlay matching `selector`; returns its visible text. */
export function waitForOverlay(frame, selector, timeout = 10_000) {
  return untilOverlay(frame, (root, sel) => {
    const el = root?.querySelector(sel);
    return el && !el.hidden ? (el.innerText || ' ') : null;
  }, selector, timeout, selector);
}

/** Where `frame`'s viewport sits in the page's viewport (0, 0 for the main frame). */
async function frameOffset(frameOrPage) {
  const frame = asFrame(frameOrPage);
  if (!frame.parentFrame()) return { x: 0, y: 0 };
  const el = await frame.frameElement();
  const o = await el.evaluate((f) => { const r = f.getBoundingClientRect(); return { x: r.x + f.clientLeft, y: r.y + f.clientTop }; });
  const up = await frameOffset(frame.parentFrame());
  return { x: o.x + up.x, y: o.y + up.y };
}

/** Clicks the element of the overlay matching `selector` the way a user does: a real mouse click at its centre. */
export async function clickOverlay(page, frame, selector) {
  const r = await untilOverlay(frame, (root, sel) => {
    const el = root?.querySelector(sel);
    if (!el) return null;
    el.scrollIntoView?.({ block: 'nearest' });
    const b = el.getBoundingClientRect();
    return b.width && b.height ? { x: b.x + b.width / 2, y: b.y + b.height / 2 } : null;
  }, selector, 10_000, selector);
  const o = await frameOffset(frame);
  await page.mouse.click(o.x + r.x, o.y + r.y);
}

/** The overlay's highlight boxes, as the user sees them (viewport rects). */
export function boxes(frame) {
  return inOverlay(frame, (root) => [...(root?.querySelectorAll('.box') ?? [])].map((b) => {
    const r = b.getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height, category: b.dataset.category, severity: b.dataset.severity, visible: getComputedStyle(b).visibility !== 'hidden' };
  }));
}

export async function waitForBoxes(frame, n = 1, timeout = 10_000) {
  await untilOverlay(frame, (root, n) => (root?.querySelectorAll('.box').length ?? 0) >= n, n, timeout, `${n} highlight(s)`);
  return boxes(frame);
}

/** Client rects of the first occurrence of `words` in the editor's text nodes (through open shadow roots). */
export function wordRects(frame, words) {
  return frame.evaluate((words) => {
    const root = window.__editor;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.data.indexOf(words);
      if (i < 0) continue;
      const r = document.createRange();
      r.setStart(n, i); r.setEnd(n, i + words.length);
      return [...r.getClientRects()].map((x) => ({ x: x.x, y: x.y, w: x.width, h: x.height }));
    }
    return null;
  }, words);
}

/**
 * For a textarea or input: the value offset nearest each point and the caret rect
 * there, by the browser's own hit testing (an oracle independent of our mirror).
 */
export function controlOffsetsAt(frame, selector, points) {
  return frame.evaluate(({ selector, points }) => {
    const el = document.querySelector(selector);
    return points.map(([x, y]) => {
      const p = document.caretPositionFromPoint?.(x, y);
      if (!p) return null;
      const r = p.getClientRect?.();
      return { node: p.offsetNode === el ? 'control' : p.offsetNode?.nodeName, offset: p.offset, x: r?.x, y: r?.y, h: r?.height };
    });
  }, { selector, points });
}

export function dialogInfo(frame) {
  return inOverlay(frame, (root) => {
    const d = root?.querySelector('dialog');
    if (!d || !d.open) return null;
    const active = root.activeElement;
    return {
      role: d.getAttribute('role'), modal: d.getAttribute('aria-modal'), title: d.querySelector('h2')?.textContent,
      intro: d.querySelector('h2 + p, .checking p')?.textContent ?? null, state: d.dataset.state ?? null,
      items: [...d.querySelectorAll('li')].map((li) => ({ category: li.dataset.category, severity: li.dataset.severity, text: li.innerText })),
      buttons: [...d.querySelectorAll('button')].map((b) => b.dataset.action),
      focused: active?.dataset?.action ?? null,
    };
  });
}

export async function waitForDialog(frame, timeout = 10_000) {
  await untilOverlay(frame, (root) => !!root?.querySelector('dialog[open]'), null, timeout, 'the dialog');
  return dialogInfo(frame);
}

/** Whether the held-post dialog is open. */
export function dialogOpen(frame) {
  return inOverlay(frame, (root) => !!root?.querySelector('dialog[open]'));
}

/** Press a dialog button the way a user does: a real mouse click on it. */
export async function dialogButton(page, frame, action) {
  await clickOverlay(page, frame, `dialog[open] button[data-action="${action}"]`);
  await untilOverlay(frame, (root) => !root?.querySelector('dialog[open]'), null, 10_000, 'the dialog to close');
}

export function close(a, b, tol) {
  return Math.abs(a - b) <= tol;
}

/**
 * Stop the extension's service worker, as the browser does after 30 s idle (CDP
 * ServiceWorker.stopAllWorkers), and wait until it is gone. The next message from
 * a content script starts it again, cold.
 */
export async function stopWorker(env) {
  env.cdpPage ??= await env.context.newPage();
  const cdp = await env.context.newCDPSession(env.cdpPage);
  const versions = new Map();
  const allStopped = () => [...versions.values()].every((s) => s === 'stopped');
  let changed = () => {};
  cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
    for (const v of e.versions) versions.set(v.versionId, v.runningStatus);
    changed();
  });
  await cdp.send('ServiceWorker.enable');
  // A page closing just before may wake the worker again (its last report): stop it
  // until it stays stopped.
  let quiet = false;
  for (let i = 0; i < 5 && !quiet; i++) {
    const stopped = new Promise((r) => { changed = () => { if (allStopped()) r(); }; });
    await cdp.send('ServiceWorker.stopAllWorkers');
    if (!allStopped()) await Promise.race([stopped, new Promise((r) => setTimeout(r, 10_000))]);
    await new Promise((r) => setTimeout(r, 200));
    quiet = allStopped();
  }
  changed = () => {};
  await cdp.detach();
  assert.ok(quiet, `the service worker stopped: ${JSON.stringify([...versions])}`);
}

/**
 * Record, in the content script's world of the page, every state the Post dialog goes through ('checking',
 * 'findings', 'failed', 'timed-out', 'closed') with its time (performance.now(),
 * from the page's navigation start) into that world's __dialogStates.
 */
export function recordDialogStates(frame) {
  // In the extension's content-script world (the overlay's root is closed to the page).
  return inOverlay(frame, () => {
    globalThis.__dialogStates = [];
    const watched = new WeakSet();
    const note = (root) => {
      const d = root.querySelector('dialog[open]');
      const state = d ? d.dataset.state : 'closed';
      const last = globalThis.__dialogStates.at(-1);
      if (last ? last.state !== state : state !== 'closed') globalThis.__dialogStates.push({ state, at: performance.now() });
    };
    const find = () => {
      const host = document.querySelector('postsafe-overlay');
      const root = host && (globalThis.chrome?.dom?.openOrClosedShadowRoot?.(host) ?? host.openOrClosedShadowRoot?.());
      if (!root || watched.has(root)) return;
      watched.add(root);
      note(root);
      new MutationObserver(() => note(root)).observe(root, { subtree: true, childList: true, attributes: true });
    };
    find();
    new MutationObserver(find).observe(document.documentElement, { childList: true, subtree: true });
  });
}

/** The dialog states recorded so far (see recordDialogStates). */
export function dialogStates(frame) {
  return inOverlay(frame, () => globalThis.__dialogStates);
}

/**
 * Wait until the open dialog is in `state` ('checking', 'findings', 'failed', 'timed-out');
 * returns dialogInfo. With `intro`, also until its intro matches: "Checking this post…"
 * first says it is getting ready and then, once the worker has answered, what it waits for.
 */
export async function waitForDialogState(frame, state, timeout = 15_000, { intro } = {}) {
  const end = Date.now() + timeout;
  await untilOverlay(frame, (root, state) => root?.querySelector('dialog[open]')?.dataset.state === state, state, timeout, `the dialog in state ${state}`);
  let info = await dialogInfo(frame);
  while (intro && !intro.test(info.intro ?? '')) {
    if (Date.now() > end) throw new Error(`the dialog in state ${state} never said ${intro}: ${JSON.stringify(info)}`);
    await new Promise((r) => setTimeout(r, 50));
    info = await dialogInfo(frame);
  }
  return info;
}

/** Milliseconds until `ms` after the page's load event (0 if that has passed), then resolves. */
export function afterLoad(frame, ms) {
  return frame.evaluate((ms) => new Promise((r) => {
    const nav = performance.getEntriesByType('navigation')[0];
    setTimeout(r, Math.max(0, nav.loadEventEnd + ms - performance.now()));
  }), ms);
}

/** A fixture "Share on X" page whose draft the page itself fills in on load. */
export function shareUrl(base, text) {
  return `${base}/intent/post?text=${encodeURIComponent(text)}`;
}

/**
 * For the tests of one file: before them, the fixture server and a browser with the
 * built extension (and, unless `pack` is false, the example pack imported); after them,
 * both closed. Returns `{ srv, env }`, filled in once the `before` hook has run.
 */
export function browserForTests({ pack = true } = {}) {
  const t = { srv: null, env: null };
  before(async () => {
    const { startServer } = await import('./fixtures/server.mjs');
    t.srv = await startServer();
    t.env = await launch();
    if (pack) await importPack(t.env);
  });
  after(async () => {
    await t.env?.close();
    await t.srv?.close();
  });
  return t;
}

/** Calls `fn` every 250 ms until it gives a truthy value (errors count as not yet); throws after `timeout` ms naming `what`. */
export async function until(fn, what, timeout = 20_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
