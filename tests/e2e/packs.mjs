// Packs for the cold-start figures: the example trust's pack as committed, and a
// hashed 30,000-pupil pack built by the postsafe CLI (`pack build --hash-roster`)
// from a synthetic roster (ONS given names and UK surnames in ../shared/data).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers.mjs';

/** The example trust's pack and a pupil on its roster ("Tom Smith", preferred name). */
export const EXAMPLE = { label: 'example pack (wcat)', file: join(ROOT, 'examples/wcat/wcat.pack.json'), id: 'wcat', pupil: 'Tom Smith' };

/**
 * The hashed 30,000-pupil pack, and a pupil on its roster. Built afresh by each run
 * (under a second) into target/e2e/, so that it matches the engine under test.
 * Needs target/release/postsafe (./build.sh builds it) and ../shared/data.
 */
export function hashed30k() {
  return roster30k(true);
}

/** The same roster as a plain pack (the names as they are), and a pupil on it. */
export function plain30k() {
  return roster30k(false);
}

function roster30k(hashed) {
  const dir = join(ROOT, 'target/e2e');
  const file = join(dir, `pupils-30k-${hashed ? 'hashed' : 'plain'}.pack.json`);
  const data = join(ROOT, '../shared/data/names');
  const given = [...new Set(readFileSync(join(data, 'ons_babynames_ew_1996_2024.csv'), 'utf8').split('\n').slice(1).map((l) => l.split(',')[3]).filter(Boolean))];
  const surnames = readFileSync(join(data, 'surnames_uk.txt'), 'utf8').split('\n').map((s) => s.trim()).filter(Boolean);
  const pupil = (i) => ({ forename: given[(i * 104_729) % given.length], surname: surnames[(i * 7919) % surnames.length] });
  mkdirSync(dir, { recursive: true });
  const rows = ['Legal Surname,Legal Forename,Preferred Forename,Preferred Surname,Year'];
  for (let i = 0; i < 30_000; i++) { const p = pupil(i); rows.push(`${p.surname},${p.forename},,,Year ${(i % 7) + 1}`); }
  const csv = join(dir, 'pupils-30k.csv');
  writeFileSync(csv, `${rows.join('\n')}\n`);
  execFileSync(join(ROOT, 'target/release/postsafe'), ['pack', 'build', '--name', 'Synthetic Trust', '--id', 'synthetic30k', '--pupils', csv, ...(hashed ? ['--hash-roster'] : []), '-o', file], { stdio: 'pipe' });
  const p = pupil(12_345);
  return { label: `${hashed ? 'hashed' : 'plain'} 30,000-pupil pack`, file, id: 'synthetic30k', pupil: `${p.forename} ${p.surname}` };
}

/** p50 and worst of a list of milliseconds. */
export function summary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: s[Math.floor((s.length - 1) / 2)], worst: s[s.length - 1] };
}
