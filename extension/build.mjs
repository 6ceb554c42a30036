#!/usr/bin/env node
// Builds the extension: node extension/build.mjs [--test] [--pkg DIR] [--out DIR] [--site PATTERN]...
//
// --test builds the test build into dist-test/ (unless --out says otherwise), no zips:
// the same extension, plus http://127.0.0.1 and http://localhost in its content-script
// matches and host permissions (the e2e fixture pages) and http:// pack URLs on this
// machine. Only `./build.sh test` makes it; dist/chrome and dist/firefox never have them.
//
// --site (repeatable, or POSTSAFE_EXTRA_SITES=a,b) adds a site an admin wants checked,
// e.g. --site 'https://social.example.sch.uk/*': it joins the content-script matches
// and host permissions, and the generic adapter (or Mastodon's, when detected) serves it.
//
// TypeScript under extension/src is bundled by esbuild; the wasm-bindgen packages
// (written by ./build.sh) go where each is used: the engine (extension/pkg) is bundled
// into the background and its .wasm copied to pkg/; the photo reader (pkg/photo) too,
// its .wasm instantiated by the background only when a photo is attached; the admin
// module (pkg/admin: the engine plus the pack builder) is bundled into the admin
// page's worker with its bytes. Output: OUT/chrome, OUT/firefox, OUT/postsafe-chrome.zip,
// OUT/postsafe-firefox.zip. Both targets come from the one manifest.json.
import { build } from 'esbuild';
import { zipSync } from 'fflate';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from './png.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? resolve(args[i + 1]) : dflt;
};
const testBuild = args.includes('--test');
const pkg = opt('--pkg', join(here, 'pkg'));
const out = opt('--out', join(root, testBuild ? 'dist-test' : 'dist'));
/** What only the test build has: the fixture pages' hosts. */
const TEST_SITES = ['http://127.0.0.1/*', 'http://localhost/*'];
const extraSites = [
  ...args.flatMap((a, i) => (a === '--site' && args[i + 1] ? [args[i + 1]] : [])),
  ...(process.env.POSTSAFE_EXTRA_SITES ?? '').split(',').map((s) => s.trim()).filter(Boolean),
];
for (const site of extraSites) {
  if (!/^https:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+\/\*$/i.test(site)) {
    console.error(`build.mjs: --site ${site}: expected https://host/* or https://*.host/*`);
    process.exit(1);
  }
}

for (const f of ['postsafe_wasm.js', 'postsafe_wasm_bg.wasm', 'admin/postsafe_wasm_admin.js', 'admin/postsafe_wasm_admin_bg.wasm', 'photo/postsafe_wasm_photo.js', 'photo/postsafe_wasm_photo_bg.wasm']) {
  if (!existsSync(join(pkg, f))) {
    console.error(`build.mjs: ${join(pkg, f)} is missing: run ./build.sh (wasm-bindgen --target web) first`);
    process.exit(1);
  }
}

const stage = join(out, '.stage');
rmSync(out, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

const common = {
  bundle: true,
  target: ['chrome121', 'firefox140'],
  logLevel: 'warning',
  legalComments: 'none',
  charset: 'utf8',
  alias: { 'postsafe-wasm': join(pkg, 'postsafe_wasm.js'), 'postsafe-wasm-photo': join(pkg, 'photo/postsafe_wasm_photo.js') },
  define: { __POSTSAFE_TEST_BUILD__: testBuild ? 'true' : 'false' },
};
// The wasm-bindgen glue keeps one instance for good; after a trap the background needs a
// fresh one, so the bundled copy gets a reset that forgets the dead instance (the file in
// extension/pkg is left as wasm-bindgen wrote it).
const glueReset = {
  name: 'postsafe-glue-reset',
  setup(b) {
    b.onLoad({ filter: /postsafe_wasm(_photo)?\.js$/ }, (args) => {
      let code = readFileSync(args.path, 'utf8');
      for (const needle of ['let wasmModule, wasmInstance, wasm;', 'let __wbg_init_promise;', 'let cachedUint8ArrayMemory0 = null;', 'let cachedDataViewMemory0 = null;']) {
        if (!code.includes(needle)) throw new Error(`build.mjs: the wasm-bindgen glue changed shape (no "${needle}"): update glueReset`);
      }
      code += `
export function __postsafe_reset() {
  wasm = undefined; wasmInstance = undefined; wasmModule = undefined; __wbg_init_promise = undefined;
  cachedUint8ArrayMemory0 = null; cachedDataViewMemory0 = null;
}
`;
      return { contents: code, loader: 'js' };
    });
  },
};
await build({ ...common, entryPoints: [join(here, 'src/background.ts')], outfile: join(stage, 'background.js'), format: 'esm', plugins: [glueReset] });

// People in a photo (issue 16): the face detector (faces.ts with face-api's bundled
// TensorFlow.js) is its own module, faces.js, loaded only once a photo is attached, by
// the detector's page offscreen.html (offscreen.js imports it): Chromium's offscreen
// document, a frame of the background page in Firefox. Its weights and TensorFlow.js's
// .wasm files go to faces/.
await build({ ...common, entryPoints: { faces: join(here, 'src/faces.ts') }, outdir: stage, format: 'esm', minify: true });
const facesExternal = { name: 'postsafe-faces-external', setup(b) { b.onResolve({ filter: /^\.\/faces$/ }, () => ({ path: './faces.js', external: true })); } };
await build({ ...common, entryPoints: { offscreen: join(here, 'src/offscreen.ts') }, outdir: stage, format: 'esm', plugins: [facesExternal] });
mkdirSync(join(stage, 'faces'));
for (const f of ['tiny_face_detector_model-weights_manifest.json', 'tiny_face_detector_model.bin']) cpSync(join(root, 'node_modules/@vladmandic/face-api/model', f), join(stage, 'faces', f));
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) cpSync(join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist', f), join(stage, 'faces', f));
// Their licences travel with them (esbuild keeps no comments): face-api's MIT licence as
// shipped, and a notice for TensorFlow.js (Apache-2.0; its npm packages ship no licence file).
cpSync(join(root, 'node_modules/@vladmandic/face-api/LICENSE'), join(stage, 'faces', 'LICENSE-face-api.txt'));
const tfjsVersion = JSON.parse(readFileSync(join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/package.json'), 'utf8')).version;
writeFileSync(join(stage, 'faces', 'NOTICE.txt'), `faces.js and this folder (the face count of attached photos) hold:
- @vladmandic/face-api ${JSON.parse(readFileSync(join(root, 'node_modules/@vladmandic/face-api/package.json'), 'utf8')).version}: the library and the tiny face detector's weights. MIT licence: LICENSE-face-api.txt.
- TensorFlow.js ${tfjsVersion} (bundled in face-api; tfjs-backend-wasm*.wasm from @tensorflow/tfjs-backend-wasm). Copyright Google LLC. Licensed under the Apache License, Version 2.0: https://www.apache.org/licenses/LICENSE-2.0
`);
await build({
  ...common,
  entryPoints: { content: join(here, 'src/content.ts'), popup: join(here, 'src/popup.ts'), options: join(here, 'src/options.ts'), selftest: join(here, 'src/selftest.ts') },
  outdir: stage,
  format: 'iife',
});

// The admin page (issue 15): its worker carries the admin module's bytes, so the same page
// also works as the standalone folder OUT/admin/ opened from disk (a blob: worker made
// from the worker's code; no file is fetched).
const adminWorker = await build({
  ...common, entryPoints: [join(here, 'src/admin-worker.ts')], format: 'iife', write: false,
  alias: { ...common.alias, 'postsafe-wasm-admin': join(pkg, 'admin/postsafe_wasm_admin.js'), 'postsafe-wasm-bytes': join(pkg, 'admin/postsafe_wasm_admin_bg.wasm') }, loader: { '.wasm': 'binary' },
  // The glue's default loader (a fetch beside import.meta.url) is never called: initSync gets the bytes.
  define: { ...common.define, 'import.meta.url': 'self.location.href' },
});
const adminWorkerCode = adminWorker.outputFiles[0].text;
writeFileSync(join(stage, 'admin-worker.js'), adminWorkerCode);
await build({ ...common, define: { ...common.define, __ADMIN_WORKER_INLINE__: 'null' }, entryPoints: [join(here, 'src/admin.ts')], outfile: join(stage, 'admin.js'), format: 'iife' });
mkdirSync(join(out, 'admin'), { recursive: true });
await build({ ...common, define: { ...common.define, __ADMIN_WORKER_INLINE__: JSON.stringify(adminWorkerCode) }, entryPoints: [join(here, 'src/admin.ts')], outfile: join(out, 'admin/admin.js'), format: 'iife' });
cpSync(join(here, 'static/admin.html'), join(out, 'admin/index.html'));
for (const f of ['ui.css', 'admin.css']) cpSync(join(here, 'static', f), join(out, 'admin', f));

cpSync(join(here, '_locales'), join(stage, '_locales'), { recursive: true });
for (const f of readdirSync(join(here, 'static'))) cpSync(join(here, 'static', f), join(stage, f));
mkdirSync(join(stage, 'pkg'));
for (const f of readdirSync(pkg)) {
  if (/\.(js|wasm|d\.ts)$/.test(f)) cpSync(join(pkg, f), join(stage, 'pkg', f));
}
cpSync(join(pkg, 'photo/postsafe_wasm_photo_bg.wasm'), join(stage, 'pkg/postsafe_wasm_photo_bg.wasm'));

// Icons: a shield with a tick, drawn here so no binary files live in the repo.
function png(size) {
  const px = Buffer.alloc(size * size * 4);
  const s = size / 16;
  const inShield = (x, y) => {
    const u = x / s, v = y / s;
    if (v < 1.5 || v > 15) return false;
    if (v < 9) return u > 2 && u < 14;
    const half = 6 * (1 - (v - 9) / 6.2);
    return Math.abs(u - 8) < half;
  };
  const onTick = (x, y) => {
    const u = x / s, v = y / s;
    const d1 = Math.abs((v - 8.5) - (u - 5)) / Math.SQRT2; // down-stroke from (5,8.5) to (7,10.5)
    const d2 = Math.abs((v - 10.5) + (u - 7)) / Math.SQRT2; // up-stroke from (7,10.5) to (11.5,6)
    return (u >= 4.6 && u <= 7.2 && d1 < 0.9) || (u >= 6.8 && u <= 11.8 && d2 < 0.9);
  };
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const i = (y * size + x) * 4;
    const cx = x + 0.5, cy = y + 0.5;
    if (!inShield(cx, cy)) continue;
    const [r, g, b] = onTick(cx, cy) ? [255, 255, 255] : [29, 78, 216];
    px[i] = r; px[i + 1] = g; px[i + 2] = b; px[i + 3] = 255;
  }
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) px.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return encodePng(size, size, raw, 6);
}
mkdirSync(join(stage, 'icons'));
for (const size of [16, 32, 48, 128]) writeFileSync(join(stage, 'icons', `${size}.png`), png(size));

// One manifest source; each browser gets only the keys it understands.
const manifest = JSON.parse(readFileSync(join(here, 'manifest.json'), 'utf8'));
for (const site of [...extraSites, ...(testBuild ? TEST_SITES : [])]) {
  if (!manifest.host_permissions.includes(site)) manifest.host_permissions.push(site);
  if (!manifest.content_scripts[0].matches.includes(site)) manifest.content_scripts[0].matches.push(site);
}
const targets = {
  // The offscreen document that counts faces in a photo is Chromium's alone (Firefox's background page has a DOM).
  chrome: (m) => ({ ...m, permissions: [...m.permissions, 'offscreen'] }),
  firefox: (m) => m,
};

function files(dir) {
  const acc = {};
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p); else acc[relative(dir, p).split('\\').join('/')] = readFileSync(p);
    }
  };
  walk(dir);
  return acc;
}

for (const [name, shape] of Object.entries(targets)) {
  const dir = join(out, name);
  cpSync(stage, dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(shape(structuredClone(manifest)), null, 2)}\n`);
  if (testBuild) continue;
  const entries = files(dir);
  const zipped = zipSync(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, [v, { level: 9, mtime: new Date('2024-01-01T00:00:00Z') }]])));
  writeFileSync(join(out, `postsafe-${name}.zip`), zipped);
}
rmSync(stage, { recursive: true, force: true });
console.log(`build.mjs: wrote ${relative(root, out)}/{chrome,firefox}${testBuild ? ' (the test build)' : ' and zips'} and the standalone admin page ${relative(root, out)}/admin/ (wasm from ${relative(root, pkg) || pkg})`);
