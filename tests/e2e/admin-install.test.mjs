// Installed by the organisation before its settings arrive (issue 17): Chromium installs
// Postsafe by policy (ExtensionInstallForcelist from an update URL on 127.0.0.1, a CRX
// of the test build signed for the test), so management.getSelf().installType is
// "admin", and the policy has no settings for it yet. A Post is held ("your trust's
// lists are still loading"), never checked against the built-in pack alone; when the
// trust's settings arrive (the policy file rewritten) the held post gets the verdict.
//
// Chromium runs in a mount namespace of its own (unshare) in which a temporary
// directory is bound over /etc/chromium/policies: the policy is seen by this Chromium
// only, and nothing on the machine changes. Needs root; otherwise skipped.
import { chromium } from 'playwright-core';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, DIST, PACK, afterLoad, clickOverlay, dialogInfo, requireDist, shareUrl, shot, waitForDialogState } from './helpers.mjs';
import { closer } from './closer.mjs';
import { packCrx } from './crx.mjs';
import { startServer } from './fixtures/server.mjs';

const IS_ROOT = process.getuid?.() === 0;
const POLICIES = '/etc/chromium/policies';
const skip = IS_ROOT ? false : 'needs root (a private mount namespace for the Chromium policy); run the suite as root to test it';
if (skip) console.log(`# admin-install.test.mjs skipped: ${skip}`);

const NAMED = 'Well done Tom Smith on sports day!';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('installed by policy before its settings arrive (Chromium)', { skip }, () => {
  let srv;
  let updates;
  let closeUpdates;
  let dir;
  let managed;
  let context;
  let id;

  before(async () => {
    requireDist();
    srv = await startServer();
    dir = mkdtempSync(join(tmpdir(), 'postsafe-admin-'));
    const pkg = packCrx(DIST);
    id = pkg.id;
    // The organisation's update server: where ExtensionInstallForcelist points.
    updates = createServer((req, res) => {
      const base = `http://127.0.0.1:${updates.address().port}`;
      if (req.url.startsWith('/updates.xml')) {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(`<?xml version='1.0' encoding='UTF-8'?><gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'><app appid='${id}'><updatecheck codebase='${base}/postsafe.crx' version='0.1.0' /></app></gupdate>`);
      } else if (req.url.startsWith('/postsafe.crx')) {
        res.writeHead(200, { 'content-type': 'application/x-chrome-extension' });
        res.end(pkg.crx);
      } else { res.writeHead(404); res.end(); }
    });
    closeUpdates = closer(updates);
    await new Promise((r) => updates.listen(0, '127.0.0.1', r));
    managed = join(dir, 'policies/managed');
    mkdirSync(managed, { recursive: true });
    writeFileSync(join(managed, 'install.json'), JSON.stringify({ ExtensionInstallForcelist: [`${id};http://127.0.0.1:${updates.address().port}/updates.xml`] }));
    const wrapper = join(dir, 'chromium');
    writeFileSync(wrapper, `#!/bin/sh
exec unshare --mount --propagation private sh -c 'mount --bind ${join(dir, 'policies')} ${POLICIES} && exec ${CHROMIUM} "$@"' chromium "$@"
`);
    chmodSync(wrapper, 0o755);
    assert.ok(existsSync(POLICIES), `${POLICIES} exists (Debian's chromium creates it)`);
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: wrapper,
      headless: true,
      viewport: { width: 900, height: 700 },
      // Playwright turns extensions, their updater and background networking off; an install by policy needs them.
      ignoreDefaultArgs: ['--disable-extensions', '--disable-background-networking', '--disable-component-update', '--disable-default-apps', '--disable-component-extensions-with-background-pages'],
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage', '--disable-sync'],
    });
    // Wait until Chromium has fetched and installed it.
    const page = await context.newPage();
    const end = Date.now() + 60_000;
    for (;;) {
      await page.goto('chrome://extensions-internals');
      const text = await page.evaluate(() => document.body.innerText);
      if (text.includes(`"id": "${id}"`)) break;
      if (Date.now() > end) throw new Error('Chromium did not install the extension by policy');
      await sleep(500);
    }
    await page.close();
  });

  after(async () => {
    await context?.close();
    await srv?.close();
    await closeUpdates?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a Post is held, "your trust\'s lists are still loading", never passed on the built-in pack alone; when the settings arrive it gets the verdict', async () => {
    const page = await context.newPage();
    await page.goto(shareUrl(srv.base, NAMED));
    await afterLoad(page, 100);
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    const checking = await waitForDialogState(page, 'checking', 15_000, { intro: /trust's lists are still loading/ });
    assert.equal(checking.title, 'Checking this post…');
    await page.screenshot({ path: shot('admin-install-pending'), caret: 'initial' });
    const posted = () => page.evaluate(() => window.__posted.length);
    assert.equal(await posted(), 0);

    // The trust's settings arrive: Chromium reads the rewritten policy within seconds.
    writeFileSync(join(managed, 'settings.json'), JSON.stringify({ '3rdparty': { extensions: { [id]: { packs: [JSON.parse(readFileSync(PACK, 'utf8'))], orgName: 'E2E Trust' } } } }));
    const end = Date.now() + 60_000;
    let info;
    for (;;) {
      info = await dialogInfo(page);
      if (info?.state === 'findings') break;
      if (info?.state === 'timed-out') {
        // Ten seconds passed first: it says so, and "Try again" checks again.
        assert.match(info.intro, /lists have not arrived/);
        await clickOverlay(page, page, 'dialog[open] button[data-action="retry"]');
      }
      assert.equal(await posted(), 0, 'never posted while waiting');
      if (Date.now() > end) throw new Error(`no verdict after the settings arrived: ${JSON.stringify(info)}`);
      await sleep(200);
    }
    assert.ok(info.items.some((i) => i.category === 'pupil' && i.text.includes('Tom Smith')), JSON.stringify(info.items));
    assert.equal(await posted(), 0);
    await page.screenshot({ path: shot('admin-install-verdict'), caret: 'initial' });
    await page.close();
  });
});
