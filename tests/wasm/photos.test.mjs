// What an attached photo gives away (issue 16), through the WebAssembly engine the
// extension's service worker runs: the photos of tests/vectors/photos (made by
// tools/make-photo-fixtures.mjs, synthetic names) give the same findings as the CLI's
// `postsafe scan --image --json`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Engine, ROOT, POSTSAFE } from './engine.mjs';

const DIR = path.join(ROOT, 'tests/vectors/photos');
const PACK = path.join(DIR, 'pack.json');
const engine = new Engine([readFileSync(PACK, 'utf8')]);
const photo = (name) => engine.checkPhoto(new Uint8Array(readFileSync(path.join(DIR, name))), name);

test('GPS near the pack school: a warning naming it, with advice on turning location off', () => {
  const r = photo('near-school.heic');
  assert.equal(r.name, 'near-school.heic');
  assert.equal(r.format, 'heif');
  const f = r.findings[0];
  assert.equal(f.label, "the photo's location");
  assert.equal(f.photoField, 'location');
  assert.equal(f.severity, 'warn');
  assert.equal(f.message, "This photo records that it was taken about 80 m from Saint Paul's Catholic High School, which identifies the school.");
  assert.match(f.advice, /Location Services > Camera > Never/);
  assert.deepEqual(r.findings.slice(1).map((g) => [g.label, g.category, g.text]), [["the photo's tagged people", 'pupil', 'Amelia Testerton']]);
});

test('a tagged pupil in XMP, with UTF-16 offsets into the field', () => {
  const r = photo('tagged-pupil.jpg');
  const title = r.findings.find((f) => f.label === "the photo's title" && f.category === 'pupil');
  assert.equal(title.value, 'Sports day with Jayden Quillfeather');
  assert.equal(title.value.slice(title.start, title.end), 'Jayden Quillfeather');
});

test('no metadata, and a corrupt file, never throw', () => {
  assert.deepEqual(photo('no-metadata.jpg').findings, []);
  const bad = photo('corrupt.jpg');
  assert.deepEqual(bad.findings, []);
  assert.match(bad.problem, /^could not read all of this photo's details/);
  const notImage = engine.checkPhoto(new Uint8Array([1, 2, 3]), 'x.gif');
  assert.equal(notImage.problem, "could not read this photo's details: it is not a JPEG, PNG, HEIC or WebP image");
});

test('every test photo: the same findings as the CLI', { skip: !POSTSAFE }, () => {
  const names = readdirSync(DIR).filter((n) => !n.endsWith('.json')).sort();
  let out;
  try {
    out = execFileSync(POSTSAFE, ['scan', '--json', '--pack', PACK, '--image', ...names.map((n) => path.join(DIR, n))], { encoding: 'utf8' });
  } catch (e) { out = e.stdout; }
  const cli = JSON.parse(out).photos;
  names.forEach((n, i) => {
    const w = photo(n);
    assert.deepEqual(w.findings.map((f) => [f.label, f.rule, f.severity, f.text, f.message]),
      cli[i].findings.map((f) => [f.label, f.finding.rule, f.finding.severity, f.finding.text, f.finding.message]), n);
    assert.equal(w.problem ?? null, cli[i].problem ?? null, n);
  });
});
