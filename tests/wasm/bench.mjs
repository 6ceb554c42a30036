// Side-by-side benchmark in Node: the Postsafe WebAssembly engine (full scan:
// normalisation and every rule) against the ways a hand-written extension would match
// the same term lists (npm modern-ahocorasick, and one case-insensitive, word-bounded
// JavaScript RegExp union), with the native engine and bare Rust Aho-Corasick for
// reference. Prints figures; asserts nothing.
//
// Run by `./build.sh bench`, after the native benchmark has written target/bench/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import AhoCorasick from 'modern-ahocorasick';
import { Engine, memoryBytes, ROOT } from './engine.mjs';

const dir = path.join(ROOT, 'target/bench');
const packJson = readFileSync(path.join(dir, 'pack.json'), 'utf8');
const hashedJson = readFileSync(path.join(dir, 'pack-hashed.json'), 'utf8');
const native = JSON.parse(readFileSync(path.join(dir, 'native.json'), 'utf8'));
const terms = native.raw_terms;

function pct(sorted, p) {
  return sorted[Math.round((sorted.length - 1) * p)];
}
function time(n, f) {
  for (let i = 0; i < Math.min(n, 20); i++) f();
  const t = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return { p50: pct(t, 0.5), p99: pct(t, 0.99) };
}
const ms = (x) => `${x.toFixed(4)} ms`.padStart(11);

console.log(`workload: ${terms.length} raw terms (30,000 pupils' full and first names, school and confidential terms)`);

let t0 = performance.now();
const engine = new Engine([packJson]);
const buildMs = performance.now() - t0;
const mem = memoryBytes();
console.log(`postsafe WASM engine build: ${buildMs.toFixed(0)} ms (target 150 ms), WASM memory ${(mem / 2 ** 20).toFixed(1)} MB (target 32 MB)`);

t0 = performance.now();
const hashedEngine = new Engine([hashedJson]);
console.log(`postsafe WASM engine build from the hashed-roster pack: ${(performance.now() - t0).toFixed(0)} ms (target 150 ms)`);

t0 = performance.now();
const ac = new AhoCorasick(terms.map((t) => t.toLowerCase()));
console.log(`modern-ahocorasick build: ${(performance.now() - t0).toFixed(0)} ms`);

t0 = performance.now();
const escaped = terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
const union = new RegExp(`\\b(?:${escaped.join('|')})\\b`, 'gi');
union.test('warm up');
console.log(`RegExp union build: ${(performance.now() - t0).toFixed(0)} ms over ${terms.length} alternatives`);

console.log(
  ['chars', 'wasm p50', 'wasm p99', 'regexp p50', 'regexp p99', 'm-ac p50', 'native p50', 'bare p50', 'vs regexp', 'vs m-ac', 'vs native'].map((h) => h.padStart(11)).join(''),
);
const rows = [];
for (const d of native.drafts) {
  const n = d.chars > 10000 ? 40 : d.chars > 1000 ? 1000 : 3000;
  const draft = { body: d.text };
  const wasm = time(n, () => engine.scan(draft).findings.length);
  const re = time(n, () => {
    union.lastIndex = 0;
    return d.text.match(union)?.length ?? 0;
  });
  const macN = d.chars > 10000 ? 3 : n;
  const mac = time(macN, () => ac.count(d.text.toLowerCase()));
  const found = engine.scan(draft).findings.length;
  if (found !== d.findings) console.log(`  note: WASM found ${found}, native ${d.findings}`);
  rows.push({ chars: d.chars, wasm, re, mac });
  console.log(
    [
      String(d.chars).padStart(11), ms(wasm.p50), ms(wasm.p99), ms(re.p50), ms(re.p99), ms(mac.p50), ms(d.p50), ms(d.bare_p50),
      `${(re.p50 / wasm.p50).toFixed(1)}x`.padStart(11), `${(mac.p50 / wasm.p50).toFixed(0)}x`.padStart(11), `${(wasm.p50 / d.p50).toFixed(1)}x`.padStart(11),
    ].join(''),
  );
}
const h = time(500, () => hashedEngine.scan({ body: native.drafts[1].text }).findings.length);
console.log(`hashed-roster WASM scan of 2,000 chars: p50 ${h.p50.toFixed(4)} ms, p99 ${h.p99.toFixed(4)} ms`);
console.log('(vs regexp / vs m-ac: how many times faster the full Postsafe scan is than the bare peer; vs native: WASM over native time)');
