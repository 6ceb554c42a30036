// Large packs and pack downloads that go wrong, in headless Chromium under a managed
// policy (root only; the policy file is removed afterwards whatever happens):
//
// - a 50 MiB pack downloaded from a pack URL, and a 5 MiB inline `packsJson` pack (the
//   most Chrome's cloud policy carries for an extension), are stored and scan;
// - the same URL then serves 200 MiB, hangs, and redirects to a host the policy does not
//   name: each time the last good 50 MiB pack stays in force and the status says why,
//   and a second pack URL loads while the first one hangs (no queue behind it);
// - a plain http:// pack URL is refused and never requested;
// - (without root too) a 50 MiB pack imported through the options page is stored and scans.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { EXTENSION_ID, ROOT, assertNoNetwork, compose, importPack, launch, requireDist, waitForBoxes, until } from './helpers.mjs';
import { closer } from './closer.mjs';
import { startServer } from './fixtures/server.mjs';
import { IS_ROOT, NOT_ROOT_MESSAGE, removePolicy, writePolicy } from './policy-helpers.mjs';

const skip = IS_ROOT ? false : NOT_ROOT_MESSAGE;
if (!IS_ROOT) console.log(`# packs-large.test.mjs skipped: ${NOT_ROOT_MESSAGE}`);

const MIB = 1024 * 1024;
const sha256 = (b) => createHash('sha256').update(b).digest('hex');
const CLI = join(ROOT, 'target/release/postsafe');
const DIR = join(ROOT, 'target/e2e');

/**
 * A pack of `pupils` synthetic pupils with `named` among them, its roster hashed by the
 * CLI (`pack build --hash-roster`), then padded with JSON whitespace to at least
 * `minBytes` (a pack document's size is what storage and download limits see). Built
 * afresh each run (a few seconds), so it always matches the engine under test.
 */
function bigPack(id, pupils, named, minBytes) {
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, `${id}.pack.json`);
  {
    const data = join(ROOT, '../shared/data/names');
    const given = [...new Set(readFileSync(join(data, 'ons_babynames_ew_1996_2024.csv'), 'utf8').split('\n').slice(1).map((l) => l.split(',')[3]).filter(Boolean))];
    const surnames = readFileSync(join(data, 'surnames_uk.txt'), 'utf8').split('\n').map((s) => s.trim()).filter(Boolean);
    const rows = ['Legal Forename,Legal Surname'];
    for (let i = 0; i < pupils - 1; i++) rows.push(`${given[(i * 104_729) % given.length]},${surnames[(i * 7919) % surnames.length]}`);
    rows.push(named.replace(' ', ','));
    const csv = join(DIR, `${id}.csv`);
    writeFileSync(csv, `${rows.join('\n')}\n`);
    execFileSync(CLI, ['pack', 'build', '--name', `${id} trust`, '--id', id, '--pack-version', '1', '--pupils', csv, '--hash-roster', '-o', file], { stdio: 'pipe' });
    const doc = readFileSync(file);
    if (doc.length < minBytes) writeFileSync(file, Buffer.concat([doc, Buffer.alloc(minBytes - doc.length, 0x20)]));
  }
  return readFileSync(file);
}

describe('large packs and pack downloads that go wrong', { skip }, () => {
  let srv;
  let packSrv;
  let closePackSrv;
  let env;
  let ext; // an extension page, to ask the background what a teacher's popup asks
  let big;
  let small;
  let policy;
  const mode = { big: 'serve' };
  const sent = { big: 0, hits: [] };

  before(async () => {
    requireDist();
    big = bigPack('big50', 199_000, 'Zebedee Quartermaine', 50 * MIB);
    // 20,000 hashed pupils, padded to just under 5 MiB: the most the cloud policy carries.
    small = bigPack('inline5', 20_000, 'Ottoline Fairweather', 5 * MIB - 4096);
    assert.ok(big.length >= 50 * MIB, `${big.length} bytes`);
    assert.ok(small.length >= 5 * MIB - 4096 && small.length <= 5 * MIB, `inline pack of ${(small.length / MIB).toFixed(2)} MiB`);
    const second = Buffer.from(JSON.stringify({ format: 1, id: 'second', name: 'Second', version: '1', pupils: [{ forename: 'Perpetua', surname: 'Ashdown' }] }));
    packSrv = createServer((req, res) => {
      const path = new URL(req.url, 'http://x').pathname;
      sent.hits.push(path);
      const cors = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
      if (path === '/second.pack.json') { res.writeHead(200, { ...cors, 'content-type': 'application/json' }); res.end(second); return; }
      if (path !== '/big.pack.json') { res.writeHead(404, cors); res.end(); return; }
      if (mode.big === 'serve') { res.writeHead(200, { ...cors, 'content-type': 'application/json' }); res.end(big); return; }
      if (mode.big === 'hang') return;
      if (mode.big === 'redirect') { res.writeHead(302, { ...cors, location: `http://localhost:${packSrv.address().port}/second.pack.json` }); res.end(); return; }
      // 'huge': 200 MiB of whitespace, chunked, counted as it goes.
      res.writeHead(200, { ...cors, 'content-type': 'application/json' });
      const chunk = Buffer.alloc(MIB, 0x20);
      let left = 200;
      res.on('close', () => { left = 0; });
      const pump = () => {
        while (left > 0) { left--; sent.big += chunk.length; if (!res.write(chunk)) { res.once('drain', pump); return; } }
        res.end();
      };
      pump();
    });
    closePackSrv = closer(packSrv);
    await new Promise((r) => packSrv.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${packSrv.address().port}`;
    policy = {
      orgName: 'Large Pack Trust',
      packsJson: [small.toString('utf8')],
      packUrls: [{ url: `${base}/big.pack.json`, sha256: sha256(big) }],
    };
    writePolicy(policy);
    srv = await startServer();
    env = await launch();
    ext = await env.context.newPage();
    await ext.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
  });

  after(async () => {
    removePolicy();
    await env?.close();
    await srv?.close();
    await closePackSrv?.();
  });

  const ask = (req) => ext.evaluate((req) => chrome.runtime.sendMessage(req), req);
  const status = async () => (await ask({ kind: 'status' })).status;
  const finds = async (body) => {
    const res = await ask({ kind: 'scan', draft: { body } });
    return res.kind === 'scanResult' ? res.findings.map((f) => `${f.category}:${f.text}`) : [res.kind];
  };
  /** The status says this about the big pack's URL, and the last good copy is still in force. */
  async function keptWith(re, what, timeout) {
    const st = await until(async () => {
      const s = await status();
      return s.errors.some((e) => e.source === 'url' && e.message.includes('/big.pack.json') && re.test(e.message)) ? s : null;
    }, what, timeout ?? 60_000);
    const bigErr = st.errors.find((e) => e.message.includes('/big.pack.json'));
    assert.match(bigErr.message, /the last good copy is in use/, bigErr.message);
    assert.ok(st.packs.some((p) => p.id === 'big50' && p.source === 'url'), 'the 50 MiB pack is still in force');
    assert.ok((await finds('Well done Zebedee Quartermaine')).includes('pupil:Zebedee Quartermaine'));
    return bigErr.message;
  }
  async function changePolicy(next) {
    writePolicy(next);
    // Chromium notices the file a few seconds after the write.
    const want = next.packUrls.map((u) => `${u.url} ${u.sha256}`).join('|');
    await until(() => ext.evaluate((want) => chrome.storage.managed.get('packUrls').then((x) => (x.packUrls ?? []).map((u) => `${u.url} ${u.sha256}`).join('|') === want), want), 'the changed policy', 30_000);
  }

  test('a 50 MiB downloaded pack and a 5 MiB inline packsJson pack are stored and scan; a typed name is highlighted', async () => {
    const st = await until(async () => { const s = await status(); return s.packs.some((p) => p.id === 'big50') && s.packs.some((p) => p.id === 'inline5') ? s : null; }, 'both packs in force', 120_000);
    assert.deepEqual(st.errors, [], JSON.stringify(st.errors));
    assert.deepEqual(await finds('Zebedee Quartermaine and Ottoline Fairweather'), ['pupil:Zebedee Quartermaine', 'pupil:Ottoline Fairweather']);
    // Stored in the extension's IndexedDB, not in storage.local (which stays small).
    const local = await ext.evaluate(async () => JSON.stringify(await chrome.storage.local.get(null)).length);
    assert.ok(local < 100_000, `storage.local holds ${local} bytes`);
    const page = await compose(env, `${srv.base}/page/textarea`, '#editor', 'Well done Zebedee Quartermaine');
    const b = await waitForBoxes(page, 1, 20_000);
    assert.equal(b[0].category, 'pupil');
    await page.close();
  });

  test('200 MiB at the same address: refused past 64 MiB, not read whole; the last good pack stays', async () => {
    mode.big = 'huge';
    await changePolicy({ ...policy, packUrls: [{ ...policy.packUrls[0], sha256: sha256(Buffer.from('a newer pack')) }] });
    const msg = await keptWith(/larger than 64 MiB/, 'the size refusal', 60_000);
    assert.match(msg, /the pack is larger than 64 MiB, the most Postsafe reads/);
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(sent.big < 120 * MIB, `the server sent ${(sent.big / MIB).toFixed(0)} MiB of 200`);
  });

  test('a server that hangs: given up after 20 s while another pack URL loads at once; the last good pack stays', async () => {
    mode.big = 'hang';
    const base = new URL(policy.packUrls[0].url).origin;
    const t0 = Date.now();
    await changePolicy({ ...policy, packUrls: [{ ...policy.packUrls[0], sha256: sha256(Buffer.from('another')) }, { url: `${base}/second.pack.json`, sha256: sha256(Buffer.from(JSON.stringify({ format: 1, id: 'second', name: 'Second', version: '1', pupils: [{ forename: 'Perpetua', surname: 'Ashdown' }] }))) }] });
    // No queue behind the hung download: the second pack is in force well before it gives up.
    await until(async () => (await status()).packs.some((p) => p.id === 'second'), 'the second pack', 15_000);
    assert.ok(Date.now() - t0 < 20_000, 'the second pack did not wait for the hung one');
    assert.ok((await finds('Perpetua Ashdown')).includes('pupil:Perpetua Ashdown'));
    const msg = await keptWith(/no answer for 20 seconds/, 'the timeout', 60_000);
    assert.match(msg, /no answer for 20 seconds/);
  });

  test('a redirect to a host the policy does not name: refused; the last good pack stays', async () => {
    mode.big = 'redirect';
    await changePolicy({ ...policy, packUrls: [{ ...policy.packUrls[0], sha256: sha256(Buffer.from('moved')) }] });
    const msg = await keptWith(/redirected to localhost/, 'the redirect refusal', 60_000);
    assert.match(msg, /redirected to localhost:\d+, which is not the host of a pack address in the policy/);
  });

  test('a plain http:// pack URL is refused by the policy reader and never requested', async () => {
    const hits = sent.hits.length;
    await changePolicy({ ...policy, packUrls: [policy.packUrls[0], { url: 'http://packs.example.invalid/p.json', sha256: sha256(Buffer.from('x')) }] });
    const st = await until(async () => { const s = await status(); return s.errors.some((e) => /packUrls\[1\]: the address must be https:\/\//.test(e.message)) ? s : null; }, 'the refusal', 60_000);
    assert.ok(st.packs.some((p) => p.id === 'big50'));
    assert.ok(!env.trap.hits.some((h) => /example\.invalid/.test(h.host)), 'never requested');
    assert.ok(sent.hits.length >= hits);
  });

  test('no request left 127.0.0.1', () => assertNoNetwork(env));
});

describe('a large pack imported by the teacher', () => {
  let env;
  before(async () => { requireDist(); env = await launch(); });
  after(async () => { await env?.close(); });

  test('a 50 MiB pack imported through the options page is stored (IndexedDB, not storage.local) and scans', async () => {
    const file = join(DIR, 'big50.pack.json');
    bigPack('big50', 199_000, 'Zebedee Quartermaine', 50 * MIB);
    const listed = await importPack(env, file, 'big50');
    assert.match(listed, /big50 trust, version 1/);
    const page = await env.context.newPage();
    await page.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
    const res = await page.evaluate(() => chrome.runtime.sendMessage({ kind: 'scan', draft: { body: 'Well done Zebedee Quartermaine' } }));
    assert.deepEqual(res.findings.map((f) => `${f.category}:${f.text}`), ['pupil:Zebedee Quartermaine']);
    const local = await page.evaluate(async () => JSON.stringify(await chrome.storage.local.get(null)).length);
    assert.ok(local < 100_000, `storage.local holds ${local} bytes`);
    await page.close();
  });
});
