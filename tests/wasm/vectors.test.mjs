// Every shared test vector, run through the WebAssembly engine, must give the same
// findings as the native engine (the `postsafe` CLI), field for field, with offsets
// converted between UTF-8 bytes and UTF-16 code units.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Engine, version, ROOT, POSTSAFE } from './engine.mjs';

const VECTORS = path.join(ROOT, 'tests/vectors');
const files = readdirSync(VECTORS).filter((f) => f.endsWith('.json')).sort();
const tmp = mkdtempSync(path.join(tmpdir(), 'postsafe-vectors-'));

/** UTF-16 offset of UTF-8 byte offset `b` in `s`, computed independently of the engine. */
function utf16At(s, b) {
  return Buffer.from(s, 'utf8').subarray(0, b).toString('utf8').length;
}

function fieldText(draft, f) {
  if (f.field === 'body') return draft.body;
  const list = { alt: draft.alt, file: draft.files, link: draft.links }[f.field];
  return list[f.fieldIndex ?? f.field_index];
}

/** Native findings for every case of a vector file, through the CLI's --jsonl mode. */
function nativeFindings(file, v) {
  const packFile = path.join(tmp, file);
  writeFileSync(packFile, JSON.stringify(v.pack));
  const input = v.cases
    .map((c, i) => JSON.stringify({ id: i, text: c.draft.body, alt: c.draft.alt ?? [], files: c.draft.files ?? [], links: c.draft.links ?? [] }))
    .join('\n');
  const args = ['scan', '--jsonl', '--pack', packFile];
  if (v.default_pack === false) args.push('--no-default');
  let out;
  try {
    out = execFileSync(POSTSAFE, args, { input, encoding: 'utf8' });
  } catch (e) {
    if (e.status !== 1) throw e; // 1 means findings, like grep
    out = e.stdout;
  }
  return out.trim().split('\n').map((l) => JSON.parse(l).findings);
}

test('the engine reports its version', () => {
  assert.match(version(), /^\d+\.\d+\.\d+$/);
});

for (const file of files) {
  test(`vectors ${file}: WASM equals native and the expected findings`, () => {
    const v = JSON.parse(readFileSync(path.join(VECTORS, file), 'utf8'));
    const engine = new Engine([JSON.stringify(v.pack)], v.default_pack !== false);
    const native = nativeFindings(file, v);
    v.cases.forEach((c, i) => {
      const { findings: wasm, truncated } = engine.scan(c.draft);
      assert.deepEqual(truncated, [], `${c.name}: checked in full`);
      const nat = native[i];
      assert.equal(wasm.length, nat.length, `${c.name}: count\nwasm ${JSON.stringify(wasm)}\nnative ${JSON.stringify(nat)}`);
      wasm.forEach((w, k) => {
        const n = nat[k];
        for (const key of ['category', 'severity', 'rule', 'field', 'text', 'message', 'advice', 'clause']) {
          assert.equal(w[key], n[key], `${c.name}: ${key}`);
        }
        assert.equal(w.fieldIndex, n.field_index, `${c.name}: fieldIndex`);
        const text = fieldText(c.draft, w);
        assert.equal(w.start, n.utf16_start, `${c.name}: start`);
        assert.equal(w.end, n.utf16_end, `${c.name}: end`);
        assert.equal(w.start, utf16At(text, n.start), `${c.name}: start converted from bytes`);
        assert.equal(w.end, utf16At(text, n.end), `${c.name}: end converted from bytes`);
        assert.equal(text.slice(w.start, w.end), w.text, `${c.name}: slice`);
      });
      const got = wasm.map((f) => ({ field: f.field, field_index: f.fieldIndex, category: f.category, text: f.text }));
      const want = c.expect.map((e) => ({ field: e.field, field_index: e.field_index ?? 0, category: e.category, text: e.text }));
      assert.deepEqual(got, want, c.name);
    });
  });
}

test('astral characters: offsets differ between UTF-8 and UTF-16 and both are right', () => {
  const pack = { format: 1, id: 'astral', name: 'A', version: '1', pupils: [{ forename: 'Thomas', surname: 'Smith' }] };
  const engine = new Engine([JSON.stringify(pack)]);
  const body = '😀👩‍👩‍👧 𝕏 well done Thomas Smith 🎉';
  const [f] = engine.scan({ body }).findings;
  assert.equal(f.text, 'Thomas Smith');
  assert.equal(body.slice(f.start, f.end), 'Thomas Smith');
  assert.ok(Buffer.byteLength(body.slice(0, f.start)) > f.start, 'bytes and UTF-16 units differ here');
});
