// Admin patterns in the extension's engine (extension/pkg), which has no regex compiler:
// it runs the DFAs that `pack build` and the admin page compile into each pattern
// (`compiled`), and refuses a pack whose pattern has none, or one it cannot read, with
// an error naming the pack and the pattern and saying how to rebuild it, keeping the
// engine it had (README, "WebAssembly size").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Engine, PKG, POSTSAFE, ROOT } from './engine.mjs';

// The admin module (with the compiler), as the admin page's worker loads it.
const admin = await import(path.join(PKG, 'admin/postsafe_wasm_admin.js'));
admin.initSync({ module: readFileSync(path.join(PKG, 'admin/postsafe_wasm_admin_bg.wasm')) });

const AD = 'tests/e2e/fixtures/admin';
const bytes = (f) => new Uint8Array(readFileSync(path.join(ROOT, f)));
const PATTERN = {
  id: 'confidential.case-ref',
  category: 'confidential',
  severity: 'block',
  message: 'A case reference identifies a child protection case.',
  advice: 'Remove the reference.',
  clause: 'Confidentiality §2',
  regex: String.raw`\bCP-\d{4}-\d{3}\b`,
};
const DRAFT = 'Following up on cp-2026-114 with the team';

/** A pack with PATTERN, built by the admin page's builder (as an admin would). */
function built() {
  const b = new admin.PackBuilder('Wythenshawe Catholic Academy Trust', 20000);
  b.setId('wcat');
  b.setVersion('1');
  b.setSchools(`${AD}/gias_extract.csv`, bytes(`${AD}/gias_extract.csv`));
  b.setTrust('wythenshawe catholic academy trust');
  b.setTerms('terms.json', new TextEncoder().encode(JSON.stringify({ patterns: [PATTERN] })));
  return b.build('wcat.pack.json', () => {}).json;
}

test('a pattern compiled by the admin page is found by the engine, as the CLI finds it', () => {
  const json = built();
  const pack = JSON.parse(json);
  assert.equal(pack.patterns.length, 1);
  assert.match(pack.patterns[0].compiled, /^[A-Za-z0-9+/]+=*$/);
  const findings = new Engine([json]).scan({ body: DRAFT }).findings;
  assert.deepEqual(
    findings.map((f) => [f.category, f.severity, DRAFT.slice(f.start, f.end)]),
    [['confidential', 'block', 'cp-2026-114']],
  );
  // The CLI's scan of the same pack, and its `pack check`.
  const dir = mkdtempSync(path.join(tmpdir(), 'postsafe-patterns-'));
  const file = path.join(dir, 'wcat.pack.json');
  writeFileSync(file, json);
  const cli = spawnSync(POSTSAFE, ['scan', '--pack', file], { input: DRAFT, encoding: 'utf8' });
  assert.match(cli.stdout, /confidential block "cp-2026-114"/, cli.stderr);
  assert.equal(spawnSync(POSTSAFE, ['pack', 'check', file], { encoding: 'utf8' }).status, 0);
});

test('a pack whose pattern has no compiled form is refused whole, saying how to rebuild it; the last engine stays', () => {
  const good = new Engine([built()]);
  const raw = JSON.parse(built());
  delete raw.patterns[0].compiled;
  assert.throws(
    () => new Engine([JSON.stringify(raw, null, 1)]),
    (e) => {
      assert.match(e.message, /^pack "wcat" \(#1\):\d+:\d+: pattern "confidential\.case-ref" of pack "wcat" has no compiled form, and this engine runs only compiled patterns; rebuild the pack with `postsafe pack build` or the admin page, which compile each pattern for the engine$/);
      return true;
    },
  );
  // The failed build left the module's last engine working.
  assert.equal(good.scan({ body: DRAFT }).findings[0].category, 'confidential');
  // The CLI still scans it (it compiles), and `pack check` says to rebuild it.
  const dir = mkdtempSync(path.join(tmpdir(), 'postsafe-patterns-'));
  const file = path.join(dir, 'old.pack.json');
  writeFileSync(file, JSON.stringify(raw, null, 1));
  const cli = spawnSync(POSTSAFE, ['scan', '--pack', file], { input: DRAFT, encoding: 'utf8' });
  assert.match(cli.stdout, /confidential block "cp-2026-114"/, cli.stderr);
  const check = spawnSync(POSTSAFE, ['pack', 'check', file], { encoding: 'utf8' });
  assert.equal(check.status, 2, check.stdout);
  assert.match(check.stderr, /pattern "confidential\.case-ref" of pack "wcat" has no compiled form: .*rebuild the pack with `postsafe pack build` or the admin page/);
});

test('a compiled form from another DFA version, or of another regex, gets the same clear error', () => {
  const pack = JSON.parse(built());
  const b = Buffer.from(pack.patterns[0].compiled, 'base64');
  // The forward DFA's serialisation version: after the 16-byte header, its 32-byte label and 4-byte endianness check.
  b[16 + 36] = 99;
  const other = structuredClone(pack);
  other.patterns[0].compiled = b.toString('base64');
  assert.throws(() => new Engine([JSON.stringify(other)]), /pattern "confidential\.case-ref" of pack "wcat" has a compiled form this engine cannot use: its forward DFA cannot be read: .*version.*; rebuild the pack with `postsafe pack build` or the admin page/);
  const edited = structuredClone(pack);
  edited.patterns[0].regex = String.raw`\bCP-\d{5}\b`;
  assert.throws(() => new Engine([JSON.stringify(edited)]), /pattern "confidential\.case-ref" of pack "wcat" has a compiled form this engine cannot use: it was compiled from another regex/);
});
