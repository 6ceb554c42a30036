// Failing safe: a WASM engine that traps on every scan (a copy of dist/chrome whose
// engine_scan export is replaced by `unreachable`, made with binaryen) shows
// "could not check" on the composer and in the post check; once the real engine file
// is back, the background's restart (with backoff) brings checking back without a
// browser restart. Then garbage in storage.local falls back to defaults, with a notice,
// and loses nothing else.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import binaryen from 'binaryen';
import { EXPECTED_STRINGS, assertNoNetwork, compose, dialogButton, distCopy, importPack, launch, overlayCount, waitForBoxes, waitForDialog, waitForOverlay } from './helpers.mjs';
import { startServer } from './fixtures/server.mjs';

let srv;
let env;
let copy;

/** The real engine with its scan replaced by a trap: loads and builds packs, traps on every scan. */
function trappingWasm(bytes) {
  const mod = binaryen.readBinary(bytes);
  const F = binaryen.Features;
  // What Chromium runs without flags (not All: binaryen would emit compact imports).
  mod.setFeatures(F.MVP | F.MutableGlobals | F.NontrappingFPToInt | F.BulkMemory | F.SignExt | F.ReferenceTypes | F.Multivalue | F.BulkMemoryOpt | F.CallIndirectOverlong);
  const exp = binaryen.getExportInfo(mod.getExport('engine_scan'));
  const fn = binaryen.getFunctionInfo(mod.getFunction(exp.value));
  mod.addFunction('postsafe_test_trap', fn.params, fn.results, [], mod.unreachable());
  mod.removeExport('engine_scan');
  mod.addFunctionExport('postsafe_test_trap', 'engine_scan');
  assert.ok(mod.validate(), 'the patched module validates');
  const out = mod.emitBinary();
  mod.dispose();
  return out;
}

before(async () => {
  copy = distCopy('postsafe-trap-');
  const wasm = join(copy, 'pkg/postsafe_wasm_bg.wasm');
  copyFileSync(wasm, `${wasm}.good`);
  writeFileSync(wasm, trappingWasm(readFileSync(wasm)));
  srv = await startServer();
  env = await launch(copy);
});

after(async () => {
  await env?.close();
  await srv?.close();
  if (copy) rmSync(copy, { recursive: true, force: true });
});

test('a trapping engine: every composer says it could not check, the post check says so; the restarted engine checks again', async () => {
  await importPack(env); // building packs works; only scanning traps
  const page = await compose(env, `${srv.base}/page/quill`, '.ql-editor', 'Sports day with Tom Smith');
  assert.equal(await waitForOverlay(page, '.banner', 15_000), EXPECTED_STRINGS.couldNotCheck);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  const info = await waitForDialog(page);
  assert.equal(info.title, EXPECTED_STRINGS.couldNotCheck);
  await dialogButton(page, page, 'edit');
  assert.deepEqual(await page.evaluate(() => window.__posted), []);
  // A second composer, opened while the engine is down, says the same.
  const other = await compose(env, `${srv.base}/page/textarea`, '#editor', 'Hello');
  await waitForOverlay(other, '.banner', 15_000);
  await other.close();

  // The engine file is repaired: the background's next restart loads it, and the
  // composer (which keeps asking while its check fails) is checked again.
  const wasm = join(copy, 'pkg/postsafe_wasm_bg.wasm');
  copyFileSync(`${wasm}.good`, wasm);
  const boxes = await waitForBoxes(page, 1, 30_000);
  assert.equal(boxes[0].category, 'pupil');
  assert.equal(await overlayCount(page, '.banner'), 0, 'the banner went');
  await page.close();
});

test('garbage in storage.local falls back to defaults with a notice, and loses nothing else', async () => {
  await env.sw.evaluate(() => chrome.storage.local.set({ settings: 'garbage', disabledSites: 42, overrideCount: { no: 1 } }));
  const popup = await env.context.newPage();
  await popup.goto(`chrome-extension://${env.extensionId}/popup.html`);
  await popup.locator('#packs li[data-notice="settings"]').waitFor({ timeout: 10_000 });
  assert.match(await popup.locator('#packs li[data-notice="settings"]').innerText(), /could not be read, so defaults are in use/);
  assert.equal(await popup.locator('#packs li[data-notice="disabledSites"]').count(), 1);
  // The imported pack (another key) is still in force.
  assert.equal(await popup.locator('#packs li[data-pack-id="e2e"]').count(), 1);
  await popup.close();
  const options = await env.context.newPage();
  await options.goto(`chrome-extension://${env.extensionId}/options.html`);
  await options.locator('#notices li[data-notice="settings"]').waitFor();
  assert.equal(await options.locator('#terms').inputValue(), '');
  await options.close();
  // Checking still works on every site (the unreadable site list means none is off).
  const page = await compose(env, `${srv.base}/page/textarea`, '#editor', 'Well done Tom Smith');
  await waitForBoxes(page, 1, 15_000);
  await page.close();
  // Nothing was deleted: the bad values stay until the teacher saves.
  const raw = await env.sw.evaluate(() => chrome.storage.local.get(['settings']));
  assert.equal(raw.settings, 'garbage');
  // The imported pack is in the extension's IndexedDB (extension/src/packdocs.ts), untouched.
  const imports = await env.sw.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('postsafe');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const get = open.result.transaction('docs').objectStore('docs').get('imports');
      get.onsuccess = () => { resolve(get.result); open.result.close(); };
      get.onerror = () => reject(get.error);
    };
  }));
  assert.equal(imports.length, 1);
});

test('no request went anywhere but 127.0.0.1', () => assertNoNetwork(env));
