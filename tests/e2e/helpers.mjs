// Shared by the e2e tests and the benchmark: launch headless Chromium with the
// built extension, a network trap, fixture server, and what the user sees.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '../..');
export const DIST = process.env.POSTSAFE_DIST ?? join(ROOT, 'dist/chrome');
export const PACK = join(here, 'pack.json');
export const SHOTS = join(here, 'screenshots');
export const EXTENSION_ID = 'mkodmldohocehlkdcdefllfhjpkgalkj';
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const EXPECTED_STRINGS = { couldNotCheck: 'Postsafe could not check this draft' };

/** Hosts of requests Chromium makes by itself (updates, safe browsing, etc.), never the page's or ours. */
const CHROMIUM_OWN = /(^|\.)(google\.com|googleapis\.com|gstatic\.com|gvt1\.com|gvt2\.com|googleusercontent\.com|chromium\.org)$/i;

export function requireDist(dist = DIST) {
  if (!existsSync(join(dist, 'manifest.json'))) throw new Error(`${dist} is missing: build first (./build.sh or node extension/build.mjs)`);
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
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { port: server.address().port, hits, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }) };
}

export async function launch(dist = DIST) {
  requireDist(dist);
  const trap = await startTrap();
  const profile = mkdtempSync(join(tmpdir(), 'postsafe-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 900, height: 700 },
    args: [
      `--disable-extensions-except=${dist}`, `--load-extension=${dist}`,
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
      `--proxy-server=http://127.0.0.1:${trap.port}`,
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

/** Load the test pack the way an admin would: the options page's import. */
export async function importPack(env, file = PACK) {
  const page = await env.context.newPage();
  await page.goto(`chrome-extension://${env.extensionId}/options.html`);
  await page.locator('#import').setInputFiles(file);
  await page.locator('#pack-list li[data-pack-id="e2e"]').waitFor({ timeout: 15_000 });
  const text = await page.locator('#pack-list').innerText();
  await page.close();
  return text;
}

export function shot(name) {
  mkdirSync(SHOTS, { recursive: true });
  return join(SHOTS, `${name}.png`);
}

/** The overlay's highlight boxes, as the user sees them (viewport rects). */
export function boxes(frame) {
  return frame.evaluate(() => {
    const host = document.querySelector('postsafe-overlay');
    if (!host || !host.shadowRoot) return [];
    return [...host.shadowRoot.querySelectorAll('.box')].map((b) => {
      const r = b.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height, category: b.dataset.category, severity: b.dataset.severity, visible: getComputedStyle(b).visibility !== 'hidden' };
    });
  });
}

export async function waitForBoxes(frame, n = 1, timeout = 10_000) {
  await frame.waitForFunction((n) => {
    const host = document.querySelector('postsafe-overlay');
    return !!host?.shadowRoot && host.shadowRoot.querySelectorAll('.box').length >= n;
  }, n, { timeout });
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
  return frame.evaluate(() => {
    const host = document.querySelector('postsafe-overlay');
    const d = host?.shadowRoot?.querySelector('dialog');
    if (!d || !d.open) return null;
    const active = host.shadowRoot.activeElement;
    return {
      role: d.getAttribute('role'), modal: d.getAttribute('aria-modal'), title: d.querySelector('h2')?.textContent,
      items: [...d.querySelectorAll('li')].map((li) => ({ category: li.dataset.category, severity: li.dataset.severity, text: li.innerText })),
      focused: active?.dataset?.action ?? null,
    };
  });
}

export async function waitForDialog(frame, timeout = 10_000) {
  await frame.waitForFunction(() => !!document.querySelector('postsafe-overlay')?.shadowRoot?.querySelector('dialog[open]'), null, { timeout });
  return dialogInfo(frame);
}

/** Press a dialog button the way a user does: a real mouse click on it. */
export async function dialogButton(page, frame, action) {
  const host = frame.locator('postsafe-overlay');
  await host.locator(`dialog[open] button[data-action="${action}"]`).click();
  await frame.waitForFunction(() => !document.querySelector('postsafe-overlay')?.shadowRoot?.querySelector('dialog[open]'));
}

export function close(a, b, tol) {
  return Math.abs(a - b) <= tol;
}
