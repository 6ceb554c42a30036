// No silent partial checks: a draft longer than the engine checks (256 KiB a field) is
// held with "This draft is too long to check fully" and the reason, even when the part
// that was checked is clean; the composer says so before Post is pressed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertNoNetwork, browserForTests, dialogButton, overlayCount, shot, waitForDialog, waitForOverlay,
} from './helpers.mjs';

const LIMIT = 256 * 1024;
const TOO_LONG = 'This draft is too long to check fully';

const ctx = browserForTests();

/** `lead`, then harmless sentences to past the limit, then `tail` (which is never checked). */
function longDraft(lead, tail) {
  let body = lead;
  while (Buffer.byteLength(body) < LIMIT + 2000) body += ' The sun shone on the field.';
  return `${body} ${tail}`;
}

async function pasteInto(name, text) {
  const page = await ctx.env.context.newPage();
  await page.goto(`${ctx.srv.base}/page/${name}`);
  await page.waitForFunction(() => window.__ready);
  await page.locator('#editor').click();
  await page.keyboard.insertText(text); // a paste: one trusted input
  return page;
}

test('a long draft whose checked part is clean is still held: too long to check fully, and why', async () => {
  const page = await pasteInto('textarea', longDraft('Lovely day.', 'Well done Tom Smith'));
  assert.equal(await waitForOverlay(page, '.banner', 15_000), TOO_LONG, 'the composer says so before Post');
  assert.equal(await overlayCount(page, '.box'), 0, 'the name past the limit was not checked');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  const info = await waitForDialog(page);
  assert.equal(info.title, TOO_LONG);
  assert.match(info.intro, /checks the first 256 KB of each part of a post/);
  assert.match(info.intro, /rest of this draft was not checked/);
  assert.deepEqual(info.items, []);
  await page.screenshot({ path: shot('too-long-dialog'), caret: 'initial' });
  assert.deepEqual(await page.evaluate(() => window.__posted.length), 0, 'held');
  // "Post anyway" is the teacher's call, as with findings.
  await dialogButton(page, page, 'post');
  await page.waitForFunction(() => window.__posted.length === 1);
  await page.close();
});

test('a long draft with a finding before the limit lists it, and says the rest was not checked', async () => {
  const page = await pasteInto('textarea', longDraft('Well done Tom Smith.', 'Project Bluebird'));
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  const info = await waitForDialog(page);
  assert.equal(info.title, TOO_LONG);
  assert.deepEqual(info.items.map((i) => i.category), ['pupil']);
  await dialogButton(page, page, 'edit');
  assert.deepEqual(await page.evaluate(() => window.__posted), []);
  await page.close();
});

test('no request left 127.0.0.1', () => assertNoNetwork(ctx.env));
