// Loads the built WebAssembly engine (extension/pkg) and the photo reader
// (extension/pkg/photo) synchronously, as the tests and the benchmark need them in Node.
// The admin module (extension/pkg/admin) is loaded by admin.test.mjs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PKG = path.join(ROOT, 'extension/pkg');
export const POSTSAFE = path.join(ROOT, 'target/release/postsafe');

const mod = await import(path.join(PKG, 'postsafe_wasm.js'));
mod.initSync({ module: readFileSync(path.join(PKG, 'postsafe_wasm_bg.wasm')) });
export const { Engine, version, memoryBytes } = mod;

const photo = await import(path.join(PKG, 'photo/postsafe_wasm_photo.js'));
photo.initSync({ module: readFileSync(path.join(PKG, 'photo/postsafe_wasm_photo_bg.wasm')) });
/** The photo reader's module: a photo file's bytes to the `PhotoRead` that `Engine.checkPhoto` takes. */
export const { readPhoto } = photo;
