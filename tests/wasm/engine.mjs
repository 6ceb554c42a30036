// Loads the built WebAssembly engine (extension/pkg) synchronously, as the tests and
// the benchmark need it in Node.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PKG = path.join(ROOT, 'extension/pkg');
export const POSTSAFE = path.join(ROOT, 'target/release/postsafe');

const mod = await import(path.join(PKG, 'postsafe_wasm.js'));
mod.initSync({ module: readFileSync(path.join(PKG, 'postsafe_wasm_bg.wasm')) });
export const { Engine, version, memoryBytes } = mod;
