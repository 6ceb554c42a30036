// A draft too long to check fully: the WebAssembly engine says so, with the place
// (in UTF-16 code units, as JavaScript counts) where checking stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from './engine.mjs';

const LIMIT = 256 * 1024; // bytes of UTF-8 per field (crates/core/src/limits.rs)
const pack = { format: 1, id: 't', name: 'T', version: '1', pupils: [{ forename: 'Tom', surname: 'Smith' }, { forename: 'Amy', surname: 'Jones' }] };
const engine = new Engine([JSON.stringify(pack)]);

/** A body of more than the limit: a name at the start, emoji all through, a name at the end. */
function longBody() {
  let body = 'Well done Tom Smith 🎉 ';
  while (Buffer.byteLength(body) < LIMIT + 1000) body += 'Sports day 🎉 was great. ';
  return `${body}Amy Jones won the relay.`;
}

test('a body over the limit: findings before it, and where checking stopped', () => {
  const body = longBody();
  const r = engine.scan({ body });
  assert.deepEqual(r.findings.map((f) => f.text), ['Tom Smith'], 'the name past the limit is not found');
  assert.equal(r.truncated.length, 1);
  const [t] = r.truncated;
  assert.deepEqual({ field: t.field, fieldIndex: t.fieldIndex }, { field: 'body', fieldIndex: 0 });
  // `checked` is in UTF-16 units: the text before it is at most the limit in UTF-8 bytes.
  const bytes = Buffer.byteLength(body.slice(0, t.checked));
  assert.ok(bytes <= LIMIT && bytes > LIMIT - 4, `${bytes} bytes checked`);
  assert.ok(t.checked < bytes, 'emoji make UTF-16 units and bytes differ');
  assert.ok(!body.slice(0, t.checked).includes('Amy Jones'));
});

test('an alt text over the limit is named by its index; a short draft has no truncation', () => {
  const r = engine.scan({ body: 'Tom Smith', alt: ['a photo', longBody()] });
  assert.deepEqual(r.truncated.map((t) => [t.field, t.fieldIndex]), [['alt', 1]]);
  assert.deepEqual(engine.scan({ body: 'Tom Smith' }).truncated, []);
});
