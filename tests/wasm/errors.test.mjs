// Bad packs through the WebAssembly API: an Error naming the pack, the line and the
// reason, the same reason and place as the CLI gives; and nothing half-built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Engine, POSTSAFE } from './engine.mjs';

const tmp = mkdtempSync(path.join(tmpdir(), 'postsafe-errors-'));

const BAD = {
  'malformed JSON': '{\n  "format": 1,\n  "id": "broken",\n  "name": \n}',
  'unknown field': '{"format":1,"id":"typo","name":"T","version":"1",\n"pupilz":[]}',
  'bad expiry date': '{"format":1,"id":"late","name":"T","version":"1",\n"expires":"2026-02-30"}',
  'wrong format': '{"format":9,"id":"future","name":"T","version":"1"}',
};

for (const [name, json] of Object.entries(BAD)) {
  test(`bad pack (${name}): WASM and CLI give the same place and reason`, () => {
    const file = path.join(tmp, 'pack.json');
    writeFileSync(file, json);
    const cli = spawnSync(POSTSAFE, ['scan', '--pack', file], { input: 'hello', encoding: 'utf8' });
    assert.equal(cli.status, 2, cli.stderr);
    const cliMessage = cli.stderr.trim().replace(`postsafe: ${file}`, '');
    assert.throws(
      () => new Engine(['{"format":1,"id":"good","name":"G","version":"1"}', json]),
      (e) => {
        assert.ok(e instanceof Error);
        assert.match(e.message, /^pack ("\w+" \(#2\)|#2)/, e.message);
        assert.equal(e.message.replace(/^pack ("\w+" \(#2\)|#2)/, ''), cliMessage);
        return true;
      },
    );
  });
}

// Packs go in as strings; anything else is named by its place, not read as a pack.
test('a pack that is not a string: an Error naming its place', () => {
  const good = '{"format":1,"id":"good","name":"G","version":"1"}';
  for (const bad of [null, 42, { id: 'x' }, new Uint8Array(3)]) {
    assert.throws(() => new Engine([good, bad]), { message: 'pack #2 is not a string' });
  }
  // A pack of non-ASCII text reads as it is written (the text goes in as UTF-8).
  const e = new Engine([JSON.stringify({ format: 1, id: 'ysgol', name: 'Ysgol Gymraeg Aberystwyth — Dŵr', version: '1', pupils: [{ forename: 'Siân', surname: 'Ó Briain' }] })], false);
  const f = e.scan({ body: 'Well done Siân Ó Briain!' }).findings;
  assert.deepEqual(f.map((x) => x.text), ['Siân Ó Briain']);
});

// The engine module has no regex compiler (README, "WebAssembly size"): a pattern
// without its compiled form is refused at the same place, saying how to rebuild the
// pack; the CLI, which compiles, says what is wrong with the regex.
test('bad pack (bad regex): WASM refuses it at the CLI\'s place, saying how to rebuild; the CLI names the bad regex', () => {
  const json = '{"format":1,"id":"re","name":"T","version":"1","patterns":[\n{"id":"x","category":"personal","severity":"warn","message":"m","advice":"a","clause":"c","regex":"(unclosed"}]}';
  const file = path.join(tmp, 'pack.json');
  writeFileSync(file, json);
  const cli = spawnSync(POSTSAFE, ['scan', '--pack', file], { input: 'hello', encoding: 'utf8' });
  assert.equal(cli.status, 2, cli.stderr);
  const cliMessage = cli.stderr.trim().replace(`postsafe: ${file}`, '');
  assert.match(cliMessage, /^:2:7: pattern "x" is not a valid regex: /);
  assert.throws(
    () => new Engine(['{"format":1,"id":"good","name":"G","version":"1"}', json]),
    (e) => {
      assert.equal(
        e.message,
        'pack "re" (#2):2:7: pattern "x" of pack "re" has no compiled form, and this engine runs only compiled patterns; rebuild the pack with `postsafe pack build` or the admin page, which compile each pattern for the engine',
      );
      return true;
    },
  );
});

test('a failed build leaves the previous engine working', () => {
  const pack = { format: 1, id: 'ok', name: 'OK', version: '1', pupils: [{ forename: 'Priya', surname: 'Ramaswamy' }] };
  let engine = new Engine([JSON.stringify(pack)]);
  try {
    engine = new Engine(['{ not json']);
  } catch {
    // keep the last good engine
  }
  assert.equal(engine.scan({ body: 'Priya Ramaswamy' }).findings[0].category, 'pupil');
});

test('a draft of the wrong shape is an Error, not a crash', () => {
  const engine = new Engine([]);
  assert.throws(() => engine.scan({ body: 42 }), /not a draft/);
  assert.throws(() => engine.scan('text'), /not a draft/);
  assert.deepEqual(engine.scan({ body: 'fine' }), { findings: [], truncated: [] });
});

test('info lists the packs with their counts', () => {
  const pack = { format: 1, id: 'wcat', name: 'W', version: '3', expires: '2027-01-01', pupils: [{ forename: 'A', surname: 'B' }] };
  const info = new Engine([JSON.stringify(pack)]).info();
  assert.equal(info.packs[0].id, 'builtin');
  assert.deepEqual(
    { id: info.packs[1].id, version: info.packs[1].version, expires: info.packs[1].expires, pupils: info.packs[1].counts.pupil },
    { id: 'wcat', version: '3', expires: '2027-01-01', pupils: 1 },
  );
  assert.ok(info.spellings > 100);
});
