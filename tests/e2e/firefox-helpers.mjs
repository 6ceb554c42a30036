// Firefox ESR for the e2e tests: puppeteer-core over WebDriver BiDi, the built
// dist/firefox, and the trust's managed settings from an enterprise policy
// (policies.json) that only this Firefox sees: it runs in its own mount namespace
// (unshare) where a temporary directory is bound over Firefox's distribution
// directory, so nothing on the machine changes. Needs root (unshare, mount).
//
// Firefox's only proxy is a CONNECT proxy on loopback that takes https://x.com/... to
// the fixture server (a random port, a self-signed certificate for x.com) and refuses
// everything else, so the shipped build's content script runs there with the x adapter,
// no fixed port is taken, and nothing leaves the machine.
import puppeteer from 'puppeteer-core';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closer } from './closer.mjs';
import { ROOT } from './helpers.mjs';

/** The Firefox binary (Debian's firefox-esr, ESR 140 or later); FIREFOX=path for another. */
export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
/** The shipped Firefox build (x.com is one of its sites). */
export const FIREFOX_DIST = process.env.POSTSAFE_DIST_FIREFOX ?? join(ROOT, 'dist/firefox');
/** The extension's Firefox id (browser_specific_settings.gecko.id). */
export const FIREFOX_ID = 'postsafe@postsafe.invalid';
/**
 * The extension's moz-extension:// host in the tests' Firefox. Firefox gives each add-on
 * a random UUID per profile, kept in the pref `extensions.webextensions.uuids`; the tests
 * set that pref before the add-on is installed, so its pages (options.html, popup.html)
 * are at moz-extension://FIREFOX_UUID/.
 */
export const FIREFOX_UUID = '8f4c1a2e-5b7d-4e3a-9c61-0d2f7b8a9e14';
/** Where Debian's firefox-esr reads policies.json from (XREAppDist). */
const DISTRIBUTION = '/usr/share/firefox-esr/distribution';
/** The background is an event page: idle this long, Firefox stops it (as it does after 30 s normally). */
export const IDLE_MS = 1000;

/** Root may unshare a mount namespace and bind over Firefox's distribution directory. */
export const IS_ROOT = process.getuid?.() === 0;

/** Why the Firefox tests cannot run here, or false. */
export function firefoxSkip() {
  if (!IS_ROOT) return 'needs root (a private mount namespace for the enterprise policy); run the suite as root to test Firefox';
  return false;
}

/** Throws, saying what to install or build, when Firefox or the build is missing. */
export function requireFirefox() {
  if (!existsSync(FIREFOX)) throw new Error(`${FIREFOX} is missing: apt-get install -y firefox-esr (./build.sh test installs it)`);
  if (!existsSync(join(FIREFOX_DIST, 'manifest.json'))) throw new Error(`${FIREFOX_DIST} is missing: build first (./build.sh)`);
  if (!existsSync(DISTRIBUTION)) throw new Error(`${DISTRIBUTION} is missing: is this Debian's firefox-esr?`);
}

/** A self-signed certificate for `hosts` (x.com unless told), by openssl, for the fixture server. */
export function certificate(dir, hosts = ['x.com']) {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
    '-subj', `/CN=${hosts[0]}`, '-addext', `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}`], { stdio: 'pipe' });
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

/**
 * A CONNECT proxy on 127.0.0.1 (a random port) that tunnels `hosts` (x.com unless
 * told) on port 443 to the fixture server at `port` and refuses anything else; `hits`
 * records every request.
 */
export async function startProxy(port, hosts = ['x.com']) {
  const hits = [];
  const server = createServer((req, res) => { hits.push(req.url); res.writeHead(403); res.end(); });
  server.on('connect', (req, socket, head) => {
    hits.push(req.url);
    if (!hosts.some((h) => req.url === `${h}:443`)) { socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'); return; }
    const up = connect(port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head?.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    // One end gone, the other goes too: no tunnel outlives its browser or the fixture server.
    up.on('error', () => socket.destroy());
    up.once('close', () => socket.destroy());
    socket.on('error', () => up.destroy());
    socket.once('close', () => up.destroy());
  });
  const close = closer(server);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { port: server.address().port, hits, close };
}

/**
 * Launch headless Firefox ESR with `policies` (the `policies` object of policies.json)
 * in force, its traffic through the proxy on `proxy` (startProxy). `install`: a build
 * directory to install as a temporary add-on (as a developer loads it); null when the
 * policy installs the extension itself. `extensionPages`: let the tests open the
 * extension's own pages (moz-extension://FIREFOX_UUID/options.html): WebDriver BiDi
 * navigates only to web URLs unless Firefox runs with --remote-allow-system-access.
 */
export async function launchFirefox({ proxy, policies = {}, install = FIREFOX_DIST, extensionPages = false, idleMs = IDLE_MS }) {
  requireFirefox();
  const dir = mkdtempSync(join(tmpdir(), 'postsafe-ff-'));
  const dist = join(dir, 'distribution');
  mkdirSync(dist);
  if (existsSync(DISTRIBUTION)) cpSync(DISTRIBUTION, dist, { recursive: true });
  writeFileSync(join(dist, 'policies.json'), JSON.stringify({ policies }));
  // Firefox, in a mount namespace of its own with our distribution directory bound over Debian's.
  const wrapper = join(dir, 'firefox');
  writeFileSync(wrapper, `#!/bin/sh
exec unshare --mount --propagation private sh -c 'mount --bind ${dist} ${DISTRIBUTION} && exec ${FIREFOX} "$@"' firefox "$@"
`);
  chmodSync(wrapper, 0o755);
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: wrapper, headless: true, acceptInsecureCerts: true,
    args: extensionPages ? ['--remote-allow-system-access'] : [],
    extraPrefsFirefox: {
      'xpinstall.signatures.required': false,
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': proxy,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxy,
      'network.proxy.no_proxies_on': '',
      'extensions.background.idle.timeout': idleMs,
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ID]: FIREFOX_UUID }),
    },
  });
  if (install) assert.equal(await browser.installExtension(install), FIREFOX_ID);
  return {
    browser,
    dir,
    async close() {
      // Firefox asked to close may not exit, or leave a content process behind holding
      // its output pipes: after at most 15 s its whole process group goes (puppeteer
      // starts it as a group leader), or the test file would wait on it for ever.
      const proc = browser.process();
      let timer;
      await Promise.race([browser.close().catch(() => {}), new Promise((r) => { timer = setTimeout(r, 15_000); })]);
      clearTimeout(timer);
      if (proc?.pid) {
        try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* the group is gone already */ }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Open the extension's page `path` (options.html, popup.html) in a new tab of a Firefox
 * launched with `extensionPages`; resolves once `ready` (a selector) is in it. `behind`:
 * a page whose tab stays the active one (the new tab opens in the background), as when
 * the toolbar popup opens over a site: the popup asks for the active tab and gets it.
 */
export async function extensionPage(browser, path, { behind = null, ready = 'body' } = {}) {
  let page;
  if (behind) {
    const { ctx, send } = session(behind);
    const { context } = (await send('browsingContext.create', { type: 'tab', background: true, referenceContext: ctx.id })).result;
    for (let i = 0; !page; i++) {
      page = (await browser.pages()).find((p) => p.mainFrame().browsingContext.id === context);
      if (!page && i > 100) throw new Error('the new tab did not appear');
      if (!page) await new Promise((r) => setTimeout(r, 20));
    }
  } else page = await browser.newPage();
  const { ctx, send } = session(page);
  // Not page.goto: the tab moves to the extension's process, and puppeteer would wait for a load event it never sees.
  await send('browsingContext.navigate', { context: ctx.id, url: `moz-extension://${FIREFOX_UUID}/${path}`, wait: 'none' });
  const end = Date.now() + 15_000;
  for (;;) {
    const at = await page.evaluate((sel) => location.protocol === 'moz-extension:' && !!document.querySelector(sel), ready).catch(() => false);
    if (at) return page;
    if (Date.now() > end) throw new Error(`${path} did not show ${ready}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The extension as an organisation installs it by policy (an .xpi of the shipped build), for `ExtensionSettings`. */
export function forceInstall(dir) {
  const xpi = join(dir, 'postsafe.xpi');
  cpSync(join(FIREFOX_DIST, '..', 'postsafe-firefox.zip'), xpi);
  return { [FIREFOX_ID]: { installation_mode: 'force_installed', install_url: `file://${xpi}` } };
}

/** The managed settings (`3rdparty`) of the policy for Postsafe. */
export function managed(settings) {
  return { '3rdparty': { Extensions: { [FIREFOX_ID]: settings } } };
}

// ---------- the overlay, as the user sees it ----------
//
// The overlay's shadow root is closed to the page. WebDriver BiDi serialises a node
// with its shadow trees, closed ones too (`includeShadowTree: "all"`): the test reads
// what the user reads without any help from the extension.

function session(page) {
  const ctx = page.mainFrame().browsingContext;
  return { ctx, send: (method, params) => ctx.userContext.browser.session.send(method, params) };
}

/** The overlay element, serialised with its closed shadow tree, or null. */
async function overlayTree(page) {
  const { ctx, send } = session(page);
  const r = await send('script.evaluate', {
    expression: "document.querySelector('postsafe-overlay')", target: { context: ctx.id }, awaitPromise: false,
    serializationOptions: { includeShadowTree: 'all', maxDomDepth: 40 }, resultOwnership: 'none',
  });
  return r.result.result?.type === 'node' ? r.result.result : null;
}

const children = (n) => [...(n.value?.shadowRoot ? [n.value.shadowRoot] : []), ...(n.value?.children ?? [])];
function find(n, pred) {
  if (pred(n)) return n;
  for (const c of children(n)) { const hit = find(c, pred); if (hit) return hit; }
  return null;
}
function findAll(n, pred, out = []) {
  if (pred(n)) out.push(n);
  for (const c of children(n)) findAll(c, pred, out);
  return out;
}
function text(n) {
  if (n.value?.nodeType === 3) return n.value.nodeValue ?? '';
  if (n.value?.localName === 'style') return '';
  return children(n).map(text).join(n.value?.localName === 'div' ? '\n' : '');
}
const is = (tag) => (n) => n.value?.localName === tag;

/** The open dialog as the user reads it: state, title, intro, findings, buttons; null if none is open. */
export async function ffDialog(page) {
  const tree = await overlayTree(page);
  const d = tree && find(tree, (n) => is('dialog')(n) && n.value.attributes && 'open' in n.value.attributes);
  if (!d) return null;
  const attr = (n, a) => n.value.attributes?.[a];
  const intro = find(d, (n) => attr(n, 'id') === 'postsafe-intro');
  return {
    state: attr(d, 'data-state'),
    title: text(find(d, is('h2'))).trim(),
    intro: intro ? text(intro).trim() : null,
    items: findAll(d, is('li')).map((li) => ({ category: attr(li, 'data-category'), severity: attr(li, 'data-severity'), text: text(li).trim() })),
    buttons: findAll(d, is('button')).map((b) => attr(b, 'data-action')),
  };
}

/**
 * Wait until the open dialog is in `state` (and, with `intro`, says that: "Checking this
 * post…" first says it is getting ready, then what it waits for); returns ffDialog.
 */
export async function waitForFfDialog(page, state, timeout = 15_000, { intro } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const d = await ffDialog(page);
    if (d?.state === state && (!intro || intro.test(d.intro ?? ''))) return d;
    if (Date.now() > end) throw new Error(`timed out waiting for the dialog in state ${state}: ${JSON.stringify(d)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Press a dialog button the way a user does: a real mouse click at its centre. Waits until the dialog has closed unless `stays`. */
export async function ffDialogButton(page, action, { stays = false } = {}) {
  const tree = await overlayTree(page);
  const button = tree && find(tree, (n) => is('button')(n) && n.value.attributes?.['data-action'] === action);
  assert.ok(button, `a "${action}" button in the dialog`);
  const { ctx, send } = session(page);
  const r = await send('script.callFunction', {
    functionDeclaration: '(b) => { const r = b.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }',
    arguments: [{ sharedId: button.sharedId }], target: { context: ctx.id }, awaitPromise: false, resultOwnership: 'none',
  });
  const [x, y] = r.result.result.value.map((v) => v.value);
  await page.mouse.click(x, y);
  if (stays) return;
  const end = Date.now() + 10_000;
  while (await ffDialog(page)) {
    if (Date.now() > end) throw new Error('the dialog did not close');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Firefox ESR with the extension (managed `policies`) on the fixture pages served over
 * HTTPS as x.com, through a loopback proxy that reaches nothing else. `close()` ends all.
 * `idleMs`: the background's idle timeout (launchFirefox).
 */
export async function firefoxOnFixtures(policies, prefix = 'postsafe-ff-', { idleMs } = {}) {
  const { startServer } = await import('./fixtures/server.mjs');
  const tmp = mkdtempSync(join(tmpdir(), prefix));
  const srv = await startServer({ tls: { ...certificate(tmp), port: 0 } });
  const proxy = await startProxy(Number(new URL(srv.base).port));
  const ff = await launchFirefox({ proxy: proxy.port, policies, idleMs });
  return {
    ff,
    async close() {
      await ff.close();
      await proxy.close();
      await srv.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * What a teacher does on X in Firefox: type `text` in the fixture's textarea composer,
 * attach the picture at `file`, press Ctrl+Enter (X's own shortcut); then wait for the
 * held dialog's photo item whose text matches `item`. Returns the page and that item (or
 * null when it never came).
 */
export async function ffPostWithPhoto(ff, text, file, item) {
  const page = await ff.browser.newPage();
  await page.goto('https://x.com/page/textarea');
  await page.waitForFunction(() => window.__ready);
  await page.click('#editor');
  await page.keyboard.type(text);
  const input = await page.$('#files');
  await input.uploadFile(file);
  await page.click('#editor');
  await page.keyboard.down('Control');
  await page.keyboard.press('Enter');
  await page.keyboard.up('Control');
  await waitForFfDialog(page, 'findings', 30_000);
  let photo = null;
  for (let i = 0; i < 100 && !photo; i++) {
    photo = (await ffDialog(page))?.items.find((li) => li.category === 'image' && item.test(li.text)) ?? null;
    if (!photo) await new Promise((r) => setTimeout(r, 100));
  }
  return { page, photo };
}
