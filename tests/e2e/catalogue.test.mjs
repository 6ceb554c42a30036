// The extension's message catalogue by rule id (extension/src/i18n.ts findingText)
// against the engine: every rule of the built-in pack has its message, advice and a
// generic clause in English and Welsh, and the English message and advice are the
// engine's own words (so a teacher in English reads exactly what the engine says, and
// a change in the engine that the catalogue missed fails here). The engine's roster
// and school rules are read from the WebAssembly engine itself, on drafts that meet
// them. No browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './helpers.mjs';
import { Engine } from '../wasm/engine.mjs';

/** extension/src/i18n.ts, bundled for Node. */
async function i18n() {
  const out = await build({ entryPoints: [join(ROOT, 'extension/src/i18n.ts')], bundle: true, write: false, format: 'esm', platform: 'neutral', logLevel: 'silent' });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

const json = (f) => JSON.parse(readFileSync(join(ROOT, f), 'utf8'));
const EN = json('extension/_locales/en_GB/messages.json');
const CY = json('extension/_locales/cy/messages.json');
const key = (id) => id.replace(/[^A-Za-z0-9]/g, '_');

test('every rule of the built-in pack: English as the pack says it, Welsh present, a clause with no trust\'s numbers', () => {
  const pack = json('crates/core/default-pack.json');
  const rules = [...pack.term_lists, ...(pack.patterns ?? [])];
  assert.ok(rules.length > 10);
  for (const r of rules) {
    const k = `rule_builtin_${key(r.id)}`;
    assert.equal(EN[`${k}_message`]?.message, r.message, `${r.id}: message`);
    assert.equal(EN[`${k}_advice`]?.message, r.advice, `${r.id}: advice`);
    assert.equal(EN[`${k}_clause`]?.message, r.clause, `${r.id}: the pack's clause is the catalogue's`);
    for (const part of ['message', 'advice', 'clause']) {
      const cy = CY[`${k}_${part}`]?.message;
      assert.ok(cy && cy !== EN[`${k}_${part}`].message, `${r.id}: Welsh ${part}`);
    }
    assert.doesNotMatch(r.clause, /WCAT|Enquire|Haybrook|CFLP|Exceed|§|\d+\.\w/, `${r.id}: a generic clause`);
  }
});

test('the engine\'s roster and school rules: the catalogue has the engine\'s own English, and Welsh; the engine\'s default clauses are the ones the extension replaces', async () => {
  const { ENGINE_CLAUSES } = await i18n();
  const pack = {
    format: 1, id: 'cat', name: 'Catalogue', version: '1',
    schools: [{ name: 'Saint Paul\'s Catholic High School', phones: ['0161 496 0000'] }],
    pupils: [{ forename: 'Thomas', surname: 'Smith', preferred_forename: 'Tom' }, { forename: 'Hope', surname: 'Wilde' }],
    staff: [{ title: 'Mrs', forename: 'Helen', surname: 'Okafor' }],
  };
  const engine = new Engine([JSON.stringify(pack)], false);
  const drafts = [
    'Well done Tom Smith', 'Star of the week is Thomas in year 5', 'Well done Tom Smiht', 'Thanks to Mrs Okafor',
    'Proud of Saint Paul\'s Catholic High School', 'Call the school on 0161 496 0000', 'Proud of Hope in my form today',
  ];
  const seen = new Map();
  for (const body of drafts) for (const f of engine.scan({ body }).findings) seen.set(f.rule.split('/')[1], f);
  for (const id of ['pupil.name', 'pupil.first-name', 'pupil.name-like', 'staff.name', 'school.name']) assert.ok(seen.has(id), `a draft meets ${id}: ${[...seen.keys()]}`);
  for (const [id, f] of seen) {
    const k = `rule_${key(id)}`;
    assert.equal(EN[`${k}_message`]?.message, f.message, `${id}: message`);
    assert.equal(EN[`${k}_advice`]?.message, f.advice, `${id}: advice`);
    assert.ok(CY[`${k}_message`]?.message && CY[`${k}_advice`]?.message, `${id}: Welsh`);
    // The pack names no clause of its own: the engine's default, which the extension shows as the generic clause_<category>.
    assert.equal(ENGINE_CLAUSES[f.category], f.clause, `${id}: the engine's default clause`);
    assert.ok(EN[`clause_${f.category}`] && CY[`clause_${f.category}`], `${id}: a generic clause in both languages`);
  }
});
