// Pack building, checking and diffing through the WebAssembly API (the admin page's
// worker uses these): the same bytes as `postsafe pack build` on the same files, the
// golden packs of crates/core/tests/golden (made by the CLI before the move into core).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, PKG } from './engine.mjs';

// The admin module (crates/wasm-admin: the engine plus the builder), as the admin page's worker loads it.
const mod = await import(path.join(PKG, 'admin/postsafe_wasm_admin.js'));
mod.initSync({ module: readFileSync(path.join(PKG, 'admin/postsafe_wasm_admin_bg.wasm')) });
const { PackBuilder, checkPack, diffPacks, registerSchools } = mod;
const G = path.join(ROOT, 'crates/core/tests/golden');
const AD = 'tests/e2e/fixtures/admin';
const EX = 'examples/wcat';
const bytes = (f) => new Uint8Array(readFileSync(path.join(ROOT, f)));
const golden = (f) => readFileSync(path.join(G, f), 'utf8');

function admin() {
  const b = new PackBuilder('Wythenshawe Catholic Academy Trust', 20000);
  b.setVersion('2026.11.29');
  b.setExpires('2020-01-31');
  b.setSchools(`${AD}/gias_extract.csv`, bytes(`${AD}/gias_extract.csv`));
  b.setTrust('wythenshawe catholic academy trust');
  b.addPupils(`${AD}/pupils_sims.csv`, bytes(`${AD}/pupils_sims.csv`));
  b.addStaff(`${AD}/staff.csv`, bytes(`${AD}/staff.csv`));
  b.setTerms(`${AD}/terms.json`, bytes(`${AD}/terms.json`));
  return b;
}

test('a plain pack built in WASM is byte for byte the CLI\'s, with progress and the skipped row', () => {
  const steps = [];
  const built = admin().build('admin.pack.json', (p) => steps.push(p));
  assert.equal(built.json, golden('admin.pack.json'));
  assert.deepEqual(steps.map((s) => `${s.stage} ${s.step}/${s.steps}`), ['read 1/5', 'read 2/5', 'read 3/5', 'read 4/5', 'checking 4/5']);
  assert.deepEqual(built.problems, [{ file: `${AD}/pupils_sims.csv`, line: 7, reason: 'no forename or no surname' }]);
  assert.equal(built.pupils, 5);
  assert.equal(built.hashed, false);
});

test('a hashed pack under the same salt holds what the CLI\'s does, and no name', () => {
  const salt = JSON.parse(golden('wcat-hashed.pack.json')).hashed_roster.salt;
  const b = new PackBuilder('Wythenshawe Catholic Academy Trust', 20000);
  b.setId('wcat');
  b.setVersion('2026.11.29');
  b.setExpires('2099-12-31');
  b.setSchools(`${EX}/gias_wcat_schools.csv`, bytes(`${EX}/gias_wcat_schools.csv`));
  b.addPupils(`${EX}/pupils_sims.csv`, bytes(`${EX}/pupils_sims.csv`));
  b.addStaff(`${EX}/staff.csv`, bytes(`${EX}/staff.csv`));
  b.setTerms(`${EX}/terms.json`, bytes(`${EX}/terms.json`));
  b.setSalt(Uint8Array.from(salt.match(/../g).map((h) => parseInt(h, 16))));
  const stages = [];
  const built = b.build('wcat-hashed.pack.json', (p) => stages.push(p.stage));
  assert.ok(stages.includes('hashing'));
  // The hashes depend on the hashing scheme; everything else is the golden pack's.
  const outside = (json) => { const v = JSON.parse(json); delete v.hashed_roster; return v; };
  assert.deepEqual(outside(built.json), outside(golden('wcat-hashed.pack.json')));
  assert.equal(JSON.parse(built.json).hashed_roster.salt, salt);
  assert.equal(JSON.parse(built.json).hashed_roster.pupils, 40);
  assert.doesNotMatch(built.json, /Siobhan/);
  assert.throws(() => b.setSalt(new Uint8Array(3)), /the salt is 3 bytes, not 16/);
});

test('errors name the file, line and reason', () => {
  const b = new PackBuilder('T', 20000);
  b.addPupils('second.csv', new TextEncoder().encode('Forename,Surname,Shoe size\nA,B,4\n'));
  assert.throws(() => b.build('out.json'), /^Error: second\.csv:1:1: unknown column "Shoe size"/);
  const u = admin();
  u.addUrn('99');
  assert.throws(() => u.build('out.json'), /no school of the trust/);
});

test('the register lists schools with their trusts; check and diff summarise packs', () => {
  const r = registerSchools('gias.csv', bytes(`${AD}/gias_extract.csv`));
  assert.equal(r.length, 7);
  assert.equal(r.filter((s) => s.trust === 'Wythenshawe Catholic Academy Trust').length, 4);
  assert.equal(r.find((s) => s.urn === '100002').trust, null);
  const c = checkPack('admin.pack.json', golden('admin.pack.json'), 20000);
  assert.equal(c.expired, true);
  assert.deepEqual(c.counts[0], ['pupil', 5]);
  const d = diffPacks('old', golden('wcat.pack.json'), 'new', golden('admin.pack.json'));
  assert.equal(d.changed, true);
  assert.deepEqual(d.kinds[0], { kind: 'pupils', before: 40, after: 5, added: 5, removed: 40 });
});

test('the engine module the service worker loads carries no pack builder, and the photo reader no engine', async () => {
  const engineMod = await import(path.join(PKG, 'postsafe_wasm.js'));
  for (const name of ['PackBuilder', 'checkPack', 'diffPacks', 'registerSchools', 'readPhoto']) assert.equal(engineMod[name], undefined, name);
  assert.equal(typeof engineMod.Engine, 'function');
  const photoMod = await import(path.join(PKG, 'photo/postsafe_wasm_photo.js'));
  assert.equal(photoMod.Engine, undefined);
  assert.equal(typeof photoMod.readPhoto, 'function');
  assert.equal(typeof mod.Engine, 'function', 'the admin module has the engine for the sample draft');
});
