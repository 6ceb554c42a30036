// The pack download (extension/src/download.ts), bundled as the extension bundles it
// and run in Node against local servers that misbehave: a body far over the limit, a
// Content-Length over it, a server that never answers or stops halfway, redirects to a
// host the policy does not name, plain http://. Each is refused with a plain sentence,
// and never read whole. (The browser test of the same, with the last good pack kept in
// force, is in packs-large.test.mjs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { build } from 'esbuild';
import { join } from 'node:path';
import { closer } from './closer.mjs';
import { ROOT } from './helpers.mjs';

const MIB = 1024 * 1024;
let dl;
let srv;
let closeSrv;
let base;
let other;
const sent = {};

before(async () => {
  const out = await build({
    entryPoints: [join(ROOT, 'extension/src/download.ts')], bundle: true, write: false, format: 'esm', platform: 'neutral',
    define: { __POSTSAFE_TEST_BUILD__: 'true' }, logLevel: 'error',
  });
  dl = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
  const pack = Buffer.from('{"format":1,"id":"p","name":"P","version":"1"}');
  srv = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    sent[path] = 0;
    const count = (n) => { sent[path] += n; };
    if (path === '/pack.json') { res.end(pack); return; }
    if (path === '/huge') {
      // 200 MiB, chunked (no Content-Length): only counting stops it.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(MIB, 0x20);
      let left = 200;
      const pump = () => {
        while (left > 0) {
          left--; count(chunk.length);
          if (!res.write(chunk)) { res.once('drain', pump); return; }
        }
        res.end();
      };
      res.on('close', () => { left = 0; });
      pump();
      return;
    }
    if (path === '/declared') { res.writeHead(200, { 'content-length': String(200 * MIB) }); res.write('{'); return; }
    if (path === '/hang') return; // never answers
    if (path === '/stall') { res.writeHead(200); res.write('{"format":1,'); return; } // then nothing
    if (path === '/away') { res.writeHead(302, { location: `${other}/pack.json` }); res.end(); return; }
    if (path === '/here') { res.writeHead(302, { location: '/pack.json' }); res.end(); return; }
    if (path === '/gone') { res.writeHead(404); res.end(); return; }
    res.writeHead(500); res.end();
  });
  closeSrv = closer(srv);
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${srv.address().port}`;
  // The same server under another host name: a host the policy does not name.
  other = `http://localhost:${srv.address().port}`;
});

after(() => closeSrv?.());

const opts = (extra = {}) => ({ allowedHosts: [new URL(base).host], httpLoopback: true, ...extra });
const refused = (p, re) => assert.rejects(p, (e) => { assert.equal(e.name, 'DownloadError'); assert.match(e.message, re); return true; });

test('a good pack is read whole, also after a redirect on its own host', async () => {
  assert.match(new TextDecoder().decode(await dl.download(`${base}/pack.json`, opts())), /"id":"p"/);
  assert.match(new TextDecoder().decode(await dl.download(`${base}/here`, opts())), /"id":"p"/);
});

test('a 200 MiB body is cut off just past the limit, not read whole', async () => {
  await refused(dl.download(`${base}/huge`, opts()), /^the pack is larger than 64 MiB, the most Postsafe reads$/);
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(sent['/huge'] < 100 * MIB, `the server sent ${sent['/huge'] / MIB} MiB`);
});

test('a Content-Length over the limit is refused before the body', async () => {
  await refused(dl.download(`${base}/declared`, opts()), /larger than 64 MiB/);
});

test('a server that never answers, or stops sending, times out', async () => {
  const t0 = Date.now();
  await refused(dl.download(`${base}/hang`, opts({ stallMs: 500 })), /^no answer for 0.5 seconds$/);
  await refused(dl.download(`${base}/stall`, opts({ stallMs: 500 })), /^no data for 0.5 seconds$/);
  await refused(dl.download(`${base}/stall`, opts({ stallMs: 5000, totalMs: 700 })), /took longer than/);
  assert.ok(Date.now() - t0 < 5000);
  // The production limits: 20 s without data, 5 minutes in all.
  assert.deepEqual({ ...dl.DOWNLOAD_LIMITS }, { maxBytes: 64 * MIB, stallMs: 20_000, totalMs: 300_000 });
});

test('a redirect to a host the policy does not name is refused, its body unread', async () => {
  await refused(dl.download(`${base}/away`, opts()), new RegExp(`^redirected to localhost:${new URL(base).port}, which is not the host of a pack address in the policy$`));
});

test('only https:// (http:// on this machine only in the test build); an HTTP error says its status', async () => {
  await refused(dl.download('http://packs.example.invalid/p.json', opts()), /^only https:\/\/ addresses are downloaded$/);
  await refused(dl.download(`${base}/pack.json`, opts({ httpLoopback: false })), /only https/);
  await refused(dl.download(`${base}/gone`, opts()), /^the server answered HTTP 404$/);
});
