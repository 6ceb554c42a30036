// The admin page (issue 15): a trust's admin builds a hashed pack in the browser, from
// a GIAS extract, a SIMS and an Arbor roster, a staff list and a terms file
// (tests/e2e/fixtures/admin, synthetic), with no network request; downloads the pack
// and the Linux policy; the pack is byte for byte the CLI's for the same inputs and
// salt; the same page inside the extension builds the same pack; the downloaded policy,
// installed as managed policy, makes the extension hold a post naming a pupil of the
// uploaded roster; Firefox builds the same pack from disk. Also: a 30,000-pupil roster builds with progress, and the longest
// main-thread task is printed (a figure, not an assertion).
//
// The managed-policy test writes /etc/chromium/policies/managed: run it in a private
// mount namespace (DEVELOPERS.md), e.g.
//   unshare --mount --propagation private sh -c 'mount --bind "$(mktemp -d)" /etc/chromium/policies/managed && node --test tests/e2e/admin.test.mjs'
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { CHROMIUM, DIST, EXTENSION_ID, ROOT, compose, launch, requireDist, startTrap, waitForBoxes, waitForDialog } from './helpers.mjs';
import { startServer } from './fixtures/server.mjs';
import { FIREFOX } from './firefox-helpers.mjs';
import { IS_ROOT, NOT_ROOT_MESSAGE, removePolicy, sha256, startPackServer, writePolicy } from './policy-helpers.mjs';

const ADMIN = join(dirname(DIST), 'admin');
const FIX = join(ROOT, 'tests/e2e/fixtures/admin');
const POSTSAFE = join(ROOT, 'target/release/postsafe');
const TRUST = 'Wythenshawe Catholic Academy Trust';
/** The fixed salt the test build takes from `?salt=` (a real build draws a random one). */
const SALT = '00112233445566778899aabbccddeeff';
const tmp = mkdtempSync(join(tmpdir(), 'postsafe-admin-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** What an admin does on the page: name the trust, give the files, pick the trust, build. Returns the status line. */
async function buildOnPage(page, { pupils = [join(FIX, 'pupils_sims.csv'), join(FIX, 'pupils_arbor.csv')] } = {}) {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await page.getByLabel("Trust's name").fill(TRUST);
  await page.setInputFiles('#f-register', join(FIX, 'gias_extract.csv'));
  await page.setInputFiles('#f-pupils', pupils);
  await page.setInputFiles('#f-staff', join(FIX, 'staff.csv'));
  await page.setInputFiles('#f-terms', join(FIX, 'terms.json'));
  await page.locator('#schools').waitFor();
  await page.getByLabel('Trust (type to search)').fill(TRUST);
  assert.equal(await page.textContent('#trust-pick-status'), '4 schools of this trust in the register.');
  assert.equal(await page.getByLabel('Store pupils and staff as keyed hashes (recommended)').isChecked(), true, 'hashed by default');
  await page.getByRole('button', { name: 'Build the pack' }).click();
  await page.waitForSelector('#status[data-state="ok"], #status[data-state="failed"]', { timeout: 120_000 });
  return page.textContent('#status');
}

/** Clicks a download link; returns the file's name and text. */
async function download(page, id) {
  // The worker makes the files; the links are current once it has answered.
  await page.waitForSelector('#download-list[data-state="ready"]');
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(`#dl-${id}`)]);
  const path = join(tmp, `${id}-${d.suggestedFilename()}`);
  await d.saveAs(path);
  const bytes = readFileSync(path);
  // A .reg file is UTF-16LE with a byte order mark, as Registry Editor reads it.
  const text = bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.subarray(2).toString('utf16le') : bytes.toString('utf8');
  return { name: d.suggestedFilename(), text };
}

/** The CLI's pack for the same inputs, hashed under the same salt. */
function cliPack() {
  const out = join(tmp, 'cli.pack.json');
  const r = spawnSync(POSTSAFE, [
    'pack', 'build', '--name', TRUST, '--schools', join(FIX, 'gias_extract.csv'), '--trust', TRUST,
    '--pupils', join(FIX, 'pupils_sims.csv'), '--pupils', join(FIX, 'pupils_arbor.csv'),
    '--staff', join(FIX, 'staff.csv'), '--terms', join(FIX, 'terms.json'),
    '--hash-roster', '--salt', SALT, '-o', out,
  ], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(out, 'utf8');
}

describe('the admin page', () => {
  let packs;
  let standalone = null;
  let policyText = null;

  before(async () => {
    requireDist();
    if (!existsSync(join(ADMIN, 'index.html'))) throw new Error(`${ADMIN}/index.html is missing: node extension/build.mjs --test`);
    packs = await startPackServer({});
  });
  after(async () => { await packs?.close(); });

  test('standalone from disk: builds a hashed pack from GIAS, SIMS, Arbor, staff and terms with no network request; the pack is the CLI\'s', async () => {
    const trap = await startTrap();
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', `--proxy-server=http://127.0.0.1:${trap.port}`, '--disable-background-networking', '--disable-component-update'] });
    try {
      const context = await browser.newContext({ acceptDownloads: true });
      const requests = [];
      context.on('request', (r) => requests.push(r.url()));
      const page = await context.newPage();
      await page.goto(`${pathToFileURL(join(ADMIN, 'index.html'))}?salt=${SALT}`);
      const status = await buildOnPage(page);
      assert.match(status, /^Built pack “wythenshawe-catholic-academy-trust” version \d{4}\.\d\d\.\d\d\.$/);
      // Counts: 4 schools of the trust, 5 + 4 pupils from the two rosters, 2 staff.
      const counts = Object.fromEntries(await page.$$eval('#counts tr', (rows) => rows.map((r) => [r.dataset.count, r.cells[1].textContent])));
      assert.deepEqual(counts, { countSchools: '4', countPupils: '9', countStaff: '2', countTermLists: '1', countPatterns: '0', countHashed: 'keyed hashes' });
      // The import problem names the file, line and reason.
      assert.deepEqual(await page.$$eval('#problems li', (l) => l.map((x) => x.textContent)), ['pupils_sims.csv, line 7: no forename or no surname']);
      // A sample draft: the names of both rosters are found, as they would be in a composer.
      await page.getByLabel('Sample draft (checked on this computer; never stored)').fill('Well done Izzy Pemberton and Theo Lindqvist!');
      await page.waitForFunction(() => document.querySelectorAll('#findings li[data-category="pupil"]').length === 2);
      // Downloads: the pack, its hash, the Linux policy with the pack URL and hash filled in.
      await page.getByLabel('Address where you will publish the pack (https://…)').fill(`${packs.base}/trust.pack.json`);
      const pack = await download(page, 'pack');
      assert.equal(pack.name, 'wythenshawe-catholic-academy-trust.pack.json');
      assert.equal(pack.text, cliPack(), 'the page\'s pack is byte for byte the CLI\'s');
      assert.doesNotMatch(pack.text, /Pemberton|Lindqvist|Quennell/, 'a hashed pack holds no name');
      const sum = await download(page, 'sha256');
      assert.equal(sum.text, `${sha256(pack.text)}  ${pack.name}\n`);
      const linux = await download(page, 'linux');
      const settings = JSON.parse(linux.text)['3rdparty'].extensions[EXTENSION_ID];
      assert.deepEqual(settings.packUrls, [{ url: `${packs.base}/trust.pack.json`, sha256: sha256(pack.text) }]);
      // Every other route is offered, each with the same URL and hash.
      const google = JSON.parse((await download(page, 'google')).text);
      assert.deepEqual(google.packUrls, { Value: settings.packUrls });
      const reg = (await download(page, 'windows')).text;
      assert.ok(reg.startsWith('Windows Registry Editor Version 5.00\r\n'));
      const regLine = `"packUrls"=${JSON.stringify(JSON.stringify(settings.packUrls))}`;
      assert.equal(reg.split('\r\n').filter((l) => l === regLine).length, 2, 'packUrls as a JSON string for Chrome and for Edge');
      const mac = (await download(page, 'macos')).text;
      assert.equal(mac.split(`<key>sha256</key>\n${' '.repeat(10)}<string>${sha256(pack.text)}</string>`).length, 3, 'packUrls as a plist array of dicts for Chrome and Edge');
      const firefox = JSON.parse((await download(page, 'firefox')).text);
      assert.deepEqual(firefox.policies['3rdparty'].Extensions['postsafe@postsafe.invalid'].packUrls, settings.packUrls);
      const inline = JSON.parse((await download(page, 'inline')).text);
      assert.deepEqual(inline.packsJson, [pack.text]);
      // Nothing but the page's own files and its worker's blob.
      assert.deepEqual(requests.filter((u) => !/^(file|blob):/.test(u)), [], 'the page made a network request');
      assert.deepEqual(trap.hits.filter((h) => !/google|gstatic|gvt1|chromium/.test(h.host)), []);
      standalone = pack.text;
      policyText = linux.text;
      packs.files['/trust.pack.json'] = pack.text;
    } finally {
      await browser.close();
      await trap.close();
    }
  });

  test('plain only behind a clear warning; a bad roster is an error naming file, line and reason, and nothing is built', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(join(ADMIN, 'index.html')).href);
      await page.waitForSelector('body[data-ready="true"]');
      const box = page.getByLabel('Store pupils and staff as keyed hashes (recommended)');
      await box.focus();
      await page.keyboard.press('Space');
      assert.equal(await box.isChecked(), false);
      assert.match(await page.getByRole('alert').textContent(), /^Warning: a plain pack holds every pupil’s and colleague’s name in plain text/);
      await page.keyboard.press('Space');
      assert.equal(await page.locator('#plain-warning').isHidden(), true);
      const status = await buildOnPage(page, { pupils: [join(FIX, 'pupils_sims.csv'), join(FIX, 'staff.csv')] });
      assert.match(status, /^The pack was not built: staff\.csv:1:1: unknown column "Title"; accepted columns are: /);
      assert.equal(await page.locator('#downloads').isHidden(), true);
      // Welsh: the same page, every label in Welsh.
      await page.getByLabel('Language').selectOption('cy');
      assert.equal(await page.locator('html').getAttribute('lang'), 'cy');
      assert.equal(await page.locator('h1').textContent(), 'Adeiladu pecyn ar gyfer eich ymddiriedolaeth');
      assert.equal(await page.getByRole('button', { name: 'Adeiladu’r pecyn' }).count(), 1);
    } finally {
      await browser.close();
    }
  });

  test('the diff against the current pack, in counts; a current pack that does not load is named, and the pack still builds', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(join(ADMIN, 'index.html')).href);
      await page.waitForSelector('body[data-ready="true"]');
      // The plain pack the CLI built from the SIMS roster alone (crates/core/tests/golden).
      await page.setInputFiles('#f-current', join(ROOT, 'crates/core/tests/golden/admin.pack.json'));
      assert.match(await buildOnPage(page), /^Built pack/);
      const rows = await page.$$eval('#diff tr[data-kind]', (r) => r.map((x) => [...x.cells].map((c) => c.textContent).join(' ')));
      assert.deepEqual(rows, ['pupils 5 0 +0 −5', 'staff 2 0 +0 −2', 'schools 4 4 +0 −0', 'terms 2 2 +0 −0', 'allow 1 1 +0 −0']);
      assert.match(await page.textContent('#diff'), /Hashed roster: — → 9 \/ 2 \(salted hashes are counted, not compared\)/);
      await page.setInputFiles('#f-current', join(FIX, 'terms.json'));
      await page.getByRole('button', { name: 'Build the pack' }).click();
      await page.waitForSelector('#status[data-state="ok"]');
      assert.match(await page.textContent('#diff p.error'), /^The current pack could not be compared: terms\.json:\d+:\d+: /);
    } finally {
      await browser.close();
    }
  });

  test('inside the extension: linked from the options page, the same page builds the same pack', async () => {
    assert.ok(standalone, 'the standalone test ran first');
    const env = await launch();
    try {
      const options = await env.context.newPage();
      await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
      const link = options.getByRole('link', { name: 'Build a pack for your trust' });
      assert.equal(await link.getAttribute('href'), 'admin.html');
      const page = await env.context.newPage();
      await page.goto(`chrome-extension://${EXTENSION_ID}/admin.html?salt=${SALT}`);
      await buildOnPage(page);
      assert.equal((await download(page, 'pack')).text, standalone);
    } finally {
      await env.close();
    }
  });

  test('the downloaded Linux policy, installed as managed policy, holds a post naming a pupil of the uploaded roster', { skip: IS_ROOT ? false : NOT_ROOT_MESSAGE }, async () => {
    assert.ok(policyText, 'the standalone test ran first');
    const srv = await startServer();
    writePolicy(JSON.parse(policyText)['3rdparty'].extensions[EXTENSION_ID]);
    const env = await launch();
    try {
      await env.sw.evaluate(async () => {
        for (let i = 0; i < 200 && !(await chrome.storage.managed.get('packUrls')).packUrls; i++) await new Promise((r) => setTimeout(r, 100));
      });
      const page = await compose(env, `${srv.base}/page/lexical`, '#editor', 'Well done Gwen Pritchard at the gala');
      const boxes = await waitForBoxes(page, 1, 30_000);
      assert.equal(boxes[0].category, 'pupil');
      assert.ok(packs.hits.includes('/trust.pack.json'), 'the extension downloaded the pack from the policy URL');
      await page.getByRole('button', { name: 'Post', exact: true }).click();
      await waitForDialog(page);
      assert.equal(await page.evaluate(() => window.__posted.length), 0, 'the post is held');
      await page.close();
    } finally {
      removePolicy();
      await env.close();
      await srv.close();
    }
  });

  test('standalone from disk in Firefox: the same pack as the CLI\'s', async () => {
    assert.ok(standalone, 'the standalone test ran first');
    const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
    try {
      const page = await browser.newPage();
      await page.goto(`${pathToFileURL(join(ADMIN, 'index.html'))}?salt=${SALT}`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
      await page.type('#trust-name', TRUST);
      await (await page.$('#f-register')).uploadFile(join(FIX, 'gias_extract.csv'));
      await (await page.$('#f-pupils')).uploadFile(join(FIX, 'pupils_sims.csv'), join(FIX, 'pupils_arbor.csv'));
      await (await page.$('#f-staff')).uploadFile(join(FIX, 'staff.csv'));
      await (await page.$('#f-terms')).uploadFile(join(FIX, 'terms.json'));
      await page.waitForSelector('#schools:not([hidden])');
      await page.type('#trust-pick', TRUST);
      await page.click('#build');
      await page.waitForSelector('#status[data-state="ok"], #status[data-state="failed"]', { timeout: 60_000 });
      assert.match(await page.$eval('#status', (e) => e.textContent), /^Built pack/);
      await page.waitForSelector('#download-list[data-state="ready"]');
      // The download link's blob, read in the page (a blob: read is no request).
      const pack = await page.$eval('#dl-pack', (a) => fetch(a.href).then((r) => r.text()));
      assert.equal(pack, standalone);
    } finally {
      await browser.close();
    }
  });

  test('a 30,000-pupil roster builds in the page with progress shown; the longest main-thread task is printed', async () => {
    const first = ['Amelia', 'Olivia', 'Isla', 'Ava', 'Ivy', 'Freya', 'Lily', 'Florence', 'Mia', 'Willow', 'Noah', 'Oliver', 'George', 'Arthur', 'Leo', 'Muhammad', 'Harry', 'Oscar', 'Archie', 'Henry'];
    const last = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Thomas', 'Clarke'];
    const rows = ['Legal Surname,Legal Forename,Preferred Forename,Preferred Surname,Year'];
    for (let i = 0; i < 30_000; i++) rows.push(`${last[i % 20]}${Math.floor(i / 400)},${first[Math.floor(i / 20) % 20]},,,Year ${(i % 7) + 1}`);
    const big = join(tmp, 'pupils_30000.csv');
    writeFileSync(big, `${rows.join('\n')}\n`);
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.addInitScript(() => {
        window.__long = [];
        new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
        window.__progress = [];
        new MutationObserver(() => { const p = document.getElementById('progress'); if (p) window.__progress.push(p.value); })
          .observe(document, { subtree: true, attributes: true, attributeFilter: ['value'] });
      });
      await page.goto(pathToFileURL(join(ADMIN, 'index.html')).href);
      await page.waitForSelector('body[data-ready="true"]');
      const t0 = Date.now();
      const since = await page.evaluate(() => performance.now());
      const status = await buildOnPage(page, { pupils: [big] });
      const ms = Date.now() - t0;
      assert.match(status, /^Built pack/);
      assert.equal(await page.$eval('#counts tr[data-count="countPupils"] td', (c) => c.textContent), '30000');
      const progress = await page.evaluate(() => window.__progress);
      assert.ok(new Set(progress).size >= 3, `the progress bar moved through the steps (${progress.join(', ')})`);
      const all = await page.evaluate(() => window.__long);
      const during = all.filter(([start]) => start >= since).map(([, d]) => d);
      const loading = all.filter(([start]) => start < since).map(([, d]) => d);
      console.log(`# admin page, 30,000 pupils hashed: built in ${ms} ms (files chosen to done); main-thread long tasks while choosing files and building: ${during.length}, longest ${Math.round(Math.max(0, ...during))} ms (target: none over 200 ms); while the page loaded (parsing its script): longest ${Math.round(Math.max(0, ...loading))} ms`);
    } finally {
      await browser.close();
    }
  });
});
