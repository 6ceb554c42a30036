// Roster images through the WebAssembly API (engine.ts keeps one in IndexedDB between
// worker starts): for every shared test vector whose pack has a roster, an engine given
// the image of an engine of the same pack loads its roster from it and gives the same
// findings for every case; an image of another pack is not used, and changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Engine, ROOT } from './engine.mjs';

const VECTORS = path.join(ROOT, 'tests/vectors');
const vectors = readdirSync(VECTORS).filter((f) => f.endsWith('.json')).sort()
  .map((f) => ({ file: f, v: JSON.parse(readFileSync(path.join(VECTORS, f), 'utf8')) }));

const scanAll = (engine, v) => v.cases.map((c) => engine.scan(c.draft));

test('every vector with a roster: loaded from its image, the same findings', () => {
  let rosters = 0;
  for (const { file, v } of vectors) {
    const docs = [JSON.stringify(v.pack)];
    const built = new Engine(docs, v.default_pack !== false);
    if (built.rosterCount === 0) continue;
    rosters += 1;
    assert.equal(built.rostersFromImage, 0, file);
    const image = built.rosterImage();
    assert.ok(image instanceof Uint8Array && image.length > 0, file);
    const loaded = new Engine(docs, v.default_pack !== false, image);
    assert.equal(loaded.rostersFromImage, built.rosterCount, file);
    assert.deepEqual(scanAll(loaded, v), scanAll(built, v), file);
  }
  assert.ok(rosters >= 5, `${rosters} vector files have a roster`);
});

test('an image of another pack, or bytes that are no image, are not used', () => {
  const withRoster = vectors.filter(({ v }) => new Engine([JSON.stringify(v.pack)], v.default_pack !== false).rosterCount > 0);
  const [a, b] = withRoster;
  const imageOfA = new Engine([JSON.stringify(a.v.pack)], a.v.default_pack !== false).rosterImage();
  const docs = [JSON.stringify(b.v.pack)];
  const plain = new Engine(docs, b.v.default_pack !== false);
  for (const bytes of [imageOfA, new Uint8Array(0), new TextEncoder().encode('PSRI and nothing else'), imageOfA.subarray(0, imageOfA.length >> 1)]) {
    const e = new Engine(docs, b.v.default_pack !== false, bytes);
    assert.equal(e.rostersFromImage, 0);
    assert.deepEqual(scanAll(e, b.v), scanAll(plain, b.v));
  }
});
