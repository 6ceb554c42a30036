// When the WASM engine cannot load, the composer says so and the post check says
// so: never a silent pass. Runs a copy of dist/chrome without its .wasm.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EXPECTED_STRINGS, assertNoNetwork, compose, dialogButton, distCopy, inOverlay, launch, shot, waitForDialog, waitForOverlay } from './helpers.mjs';
import { startServer } from './fixtures/server.mjs';

let srv;
let env;
let broken;

before(async () => {
  broken = distCopy('postsafe-broken-');
  const wasm = join(broken, 'pkg/postsafe_wasm_bg.wasm');
  assert.ok(existsSync(wasm), 'dist has the engine to take away');
  rmSync(wasm);
  srv = await startServer();
  env = await launch(broken);
});

after(async () => {
  await env?.close();
  await srv?.close();
  if (broken) rmSync(broken, { recursive: true, force: true });
});

test('a missing engine shows a banner on the composer and holds the post', async () => {
  const page = await compose(env, `${srv.base}/page/lexical`, '#editor', 'A perfectly ordinary post');
  assert.equal(await waitForOverlay(page, '.banner', 15_000), EXPECTED_STRINGS.couldNotCheck);
  // The banner sits on the editor.
  const b = await inOverlay(page, (root) => { const r = root.querySelector('.banner').getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; });
  const e = await page.locator('#editor').boundingBox();
  assert.ok(b.y >= e.y && b.y + b.height <= e.y + e.height + 1 && b.x >= e.x, 'banner inside the editor box');
  await page.screenshot({ path: shot('engine-failed-banner'), caret: 'initial' });

  await page.getByRole('button', { name: 'Post', exact: true }).click();
  const info = await waitForDialog(page);
  assert.equal(info.title, EXPECTED_STRINGS.couldNotCheck);
  assert.deepEqual([...info.buttons].sort(), ['edit', 'post', 'retry'], '"Try again" on the failure dialog');
  await page.screenshot({ path: shot('engine-failed-dialog'), caret: 'initial' });
  assert.deepEqual(await page.evaluate(() => window.__posted), []);
  await dialogButton(page, page, 'post');
  await page.waitForFunction(() => window.__posted.length >= 1);
  assert.equal(await page.evaluate(() => window.__posted.length), 1);
  await page.close();
});

test('the popup says the checker could not start', async () => {
  const page = await env.context.newPage();
  await page.goto(`chrome-extension://${env.extensionId}/popup.html`);
  await page.locator('#engine[data-state="failed"]').waitFor();
  assert.match(await page.locator('#engine').innerText(), /could not start/);
  await page.close();
});

test('no request went anywhere but 127.0.0.1', () => assertNoNetwork(env));
