// Welsh (issue 14): what the engine finds is said in the teacher's language, from the
// extension's message catalogue by rule id, and every element that shows it carries
// the right `lang`. Chromium here ships only its en-US locale, so a browser in Welsh
// is played by a copy of the extension whose default catalogue is the Welsh one
// (what chrome.i18n serves to a browser whose UI is in Welsh). A trust's own words
// (its term list) stay as the trust wrote them, marked as English.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, distCopy, importPack, inOverlay, launch, shot, until, waitForBoxes, waitForDialog } from './helpers.mjs';
import { startServer } from './fixtures/server.mjs';

const CY = JSON.parse(readFileSync(join(ROOT, 'extension/_locales/cy/messages.json'), 'utf8'));
const cy = (k) => CY[k].message;

let srv;
let env;
let dir;

before(async () => {
  dir = distCopy('postsafe-cy-');
  copyFileSync(join(dir, '_locales/cy/messages.json'), join(dir, '_locales/en_GB/messages.json'));
  srv = await startServer();
  env = await launch(dir);
  await importPack(env);
});

after(async () => {
  await env?.close();
  await srv?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the card and the dialog say the engine\'s findings in Welsh, with lang="cy"; the trust\'s own words keep lang="en-GB"', async () => {
  const page = await env.context.newPage();
  await page.goto(`${srv.base}/page/textarea`);
  await page.waitForFunction(() => window.__ready);
  await page.locator('#editor').click();
  await page.keyboard.type('Diwrnod gwych gyda Tom Smith. Project Bluebird update');
  const [b] = await waitForBoxes(page, 2);
  await page.mouse.move(b.x + b.w / 2, b.y + b.h / 2);
  const card = await until(() => inOverlay(page, (root) => {
    const c = root?.querySelector('.card');
    if (!c || c.hidden) return null;
    const m = c.querySelector('.item .message');
    return { lang: c.lang, message: m.textContent, messageLang: m.lang, advice: c.querySelector('.item .advice').textContent, fixes: [...c.querySelectorAll('button')].map((x) => x.textContent) };
  }), 'the card');
  assert.equal(card.lang, 'cy');
  assert.equal(card.message, cy('rule_pupil_name_message'));
  assert.equal(card.messageLang, 'cy');
  assert.equal(card.advice, cy('rule_pupil_name_advice'));
  assert.equal(card.fixes[0], cy('fix_initials'));
  await page.screenshot({ path: shot('card-cy') });

  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await waitForDialog(page);
  const d = await inOverlay(page, (root) => {
    const dlg = root.querySelector('dialog[open]');
    return {
      lang: dlg.lang, title: dlg.querySelector('h2').textContent,
      items: [...dlg.querySelectorAll('li')].map((li) => ({ category: li.dataset.category, message: li.querySelector('.message')?.textContent, lang: li.querySelector('.message')?.lang, clause: li.querySelector('.clause')?.textContent ?? null })),
      buttons: [...dlg.querySelectorAll('button')].map((x) => x.textContent),
    };
  });
  assert.equal(d.lang, 'cy');
  assert.equal(d.title, cy('dialogTitle'));
  assert.ok(d.buttons.includes(cy('editDraft')), JSON.stringify(d.buttons));
  const pupil = d.items.find((i) => i.category === 'pupil');
  assert.deepEqual({ message: pupil.message, lang: pupil.lang }, { message: cy('rule_pupil_name_message'), lang: 'cy' });
  assert.equal(pupil.clause, cy('clause_pupil'), 'the engine\'s own clause, generic and in Welsh');
  const trust = d.items.find((i) => i.category === 'confidential');
  assert.deepEqual({ message: trust.message, lang: trust.lang }, { message: 'This is a confidential matter for the trust.', lang: 'en-GB' });
  await page.screenshot({ path: shot('dialog-cy') });
  await page.keyboard.press('Escape');

  // The popup lists this page's findings in Welsh too.
  const popup = await env.context.newPage();
  await popup.addInitScript((url) => {
    const real = chrome.tabs.query.bind(chrome.tabs);
    chrome.tabs.query = async (q) => ((await real({ url })).length ? real({ url }) : real(q));
  }, page.url());
  await popup.goto(`chrome-extension://${env.extensionId}/popup.html`);
  const said = await until(() => popup.evaluate(() => [...document.querySelectorAll('#findings li span[lang]')].map((x) => ({ lang: x.lang, text: x.textContent }))).then((l) => (l.length >= 2 ? l : null)), 'the popup\'s findings');
  assert.ok(said.some((x) => x.lang === 'cy' && x.text === cy('rule_pupil_name_message')), JSON.stringify(said));
  assert.ok(said.some((x) => x.lang === 'en-GB' && x.text === 'This is a confidential matter for the trust.'), JSON.stringify(said));
  assert.equal(await popup.evaluate(() => document.documentElement.lang), 'cy');
  await popup.close();
  await page.close();
});

test('the built-in pack\'s findings in Welsh, with a generic clause (no trust\'s clause numbers)', async () => {
  const page = await env.context.newPage();
  await page.goto(`${srv.base}/page/textarea`);
  await page.waitForFunction(() => window.__ready);
  await page.locator('#editor').click();
  await page.keyboard.type('Ring me on 07700 900123 about the safeguarding concern');
  await waitForBoxes(page, 1);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await waitForDialog(page);
  const items = await inOverlay(page, (root) => [...root.querySelectorAll('dialog[open] li')].map((li) => ({
    message: li.querySelector('.message')?.textContent, lang: li.querySelector('.message')?.lang, clause: li.querySelector('.clause')?.textContent ?? null,
  })));
  const phone = items.find((i) => i.message === cy('rule_builtin_personal_uk_phone_message'));
  assert.ok(phone, JSON.stringify(items));
  assert.equal(phone.lang, 'cy');
  assert.equal(phone.clause, cy('rule_builtin_personal_uk_phone_clause'));
  for (const i of items) assert.doesNotMatch(i.clause ?? '', /WCAT|Enquire|Haybrook|CFLP|Exceed|§|\d+\.\w/, `a generic clause: ${i.clause}`);
  await page.close();
});
