// What an attached photo gives away (issue 16), as the extension's service worker
// checks it: the photo reader's module reads the file (`readPhoto`), the engine module
// checks what it read (`Engine.checkPhoto`). The photos of tests/vectors/photos (made
// by tools/make-photo-fixtures.mjs, synthetic names) give the same reports as the CLI's
// `postsafe scan --image --json`, which reads and checks in one step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Engine, ROOT, POSTSAFE, readPhoto } from './engine.mjs';

const DIR = path.join(ROOT, 'tests/vectors/photos');
const PACK = path.join(DIR, 'pack.json');
const engine = new Engine([readFileSync(PACK, 'utf8')]);
const photo = (name) => engine.checkPhoto(readPhoto(new Uint8Array(readFileSync(path.join(DIR, name)))), name);

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

test('compressed PNG text (zTXt, compressed iTXt XMP) is inflated and checked; a zip bomb is not inflated and says so', () => {
  const r = photo('compressed-text.png');
  assert.equal(r.problem, null);
  assert.deepEqual(r.findings.map((f) => [f.label, f.category, f.severity, f.text]), [
    ["the photo's description", 'pupil', 'block', 'Jayden Quillfeather'],
    ["the photo's tagged people", 'pupil', 'block', 'Amelia Testerton'],
  ]);
  assert.equal(r.findings[0].value, 'Jayden Quillfeather at the summer fair');
  const bomb = photo('zip-bomb.png');
  assert.equal(bomb.problem, "could not read all of this photo's details: a compressed text block inflates past 1 MB and was not read");
  assert.deepEqual(bomb.texts, [{ field: 'title', text: 'Sunset over the hills' }]);
});

test('no metadata, and a corrupt file, never throw', () => {
  assert.deepEqual(photo('no-metadata.jpg').findings, []);
  const bad = photo('corrupt.jpg');
  assert.deepEqual(bad.findings, []);
  assert.match(bad.problem, /^could not read all of this photo's details/);
  const notImage = engine.checkPhoto(readPhoto(new Uint8Array([1, 2, 3])), 'x.gif');
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

test('every test photo: the photo module and the engine give the whole report the CLI gives in one step', { skip: !POSTSAFE }, () => {
  const names = readdirSync(DIR).filter((n) => !n.endsWith('.json')).sort();
  let out;
  try {
    out = execFileSync(POSTSAFE, ['scan', '--json', '--pack', PACK, '--image', ...names.map((n) => path.join(DIR, n))], { encoding: 'utf8' });
  } catch (e) { out = e.stdout; }
  const cli = JSON.parse(out).photos;
  assert.equal(cli.length, names.length);
  names.forEach((n, i) => {
    const w = photo(n);
    const c = cli[i];
    assert.equal(w.name, n);
    assert.deepEqual(
      { format: w.format, texts: w.texts, position: w.position, taken: w.taken, problem: w.problem },
      { format: c.format ?? null, texts: c.texts, position: c.position ?? null, taken: c.taken ?? null, problem: c.problem ?? null },
      n,
    );
    assert.deepEqual(
      w.findings.map((f) => ({
        photoField: f.photoField, label: f.label, value: f.value, nearSchool: f.nearSchool ?? null, metres: f.metres ?? null,
        category: f.category, severity: f.severity, rule: f.rule, field: f.field, fieldIndex: f.fieldIndex,
        start: f.start, end: f.end, text: f.text, message: f.message, advice: f.advice, clause: f.clause,
      })),
      c.findings.map((f) => ({
        photoField: f.field, label: f.label, value: f.value, nearSchool: f.near?.[0] ?? null, metres: f.near?.[1] ?? null,
        category: f.finding.category, severity: f.finding.severity, rule: f.finding.rule, field: f.finding.field, fieldIndex: f.finding.field_index,
        start: f.finding.utf16_start, end: f.finding.utf16_end, text: f.finding.text, message: f.finding.message, advice: f.finding.advice, clause: f.finding.clause,
      })),
      n,
    );
  });
  // The photos cover what the report can say: a school nearby, a text finding, a problem.
  assert.ok(cli.some((c) => c.findings.some((f) => f.near)));
  assert.ok(cli.some((c) => c.findings.some((f) => f.field !== 'location')));
  assert.ok(cli.some((c) => c.problem));
});

test('the photo reader hands over only what it read: no findings, and a file it cannot read says so', () => {
  const r = readPhoto(new Uint8Array(readFileSync(path.join(DIR, 'near-school.jpg'))));
  assert.deepEqual(Object.keys(r).sort(), ['format', 'position', 'problem', 'taken', 'texts']);
  assert.equal(r.format, 'jpeg');
  assert.ok(r.position && Math.abs(r.position.latitude) > 1);
  assert.deepEqual(readPhoto(new Uint8Array([1, 2, 3])), {
    format: null, texts: [], position: null, taken: null,
    problem: "could not read this photo's details: it is not a JPEG, PNG, HEIC or WebP image",
  });
  assert.throws(() => engine.checkPhoto({ texts: 'not a list' }, 'x.jpg'), /not a photo's details/);
});
