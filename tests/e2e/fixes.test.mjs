// End-to-end: the card's one-click fixes ("Use initials", "Remove", "Ignore once",
// "Always allow this word") on the fixture editors built from the real libraries
// (Draft.js, Lexical, ProseMirror, Quill, a textarea). Each edit goes through the
// editor's own input path, so the editor's own model (window.__getText reads it, not
// the DOM) has the new words and Ctrl+Z brings the old ones back. Also: one card for
// words two rules find (most severe first), and highlights that follow the layout
// when an image above the editor loads, with no key pressed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { boxes, importPack, inOverlay, launch, shot, until, untilOverlay, waitForBoxes, waitForDialog } from './helpers.mjs';
import { startServer } from './fixtures/server.mjs';

const EDITOR = {
  textarea: '#editor',
  lexical: '#editor',
  draft: '.public-DraftEditor-content',
  prosemirror: '.ProseMirror',
  quill: '.ql-editor',
};
const DRAFT = 'We had a great day with Tom Smith at the fair';
/** The fields the fixes are tried on: the five editors, and a field other than the body (the image description, a text input). */
const FIELDS = {
  ...Object.fromEntries(Object.entries(EDITOR).map(([name, sel]) => [name, { page: name, sel }])),
  'alt text': { page: 'textarea', sel: '#alt', input: true },
};

let srv;
let env;

before(async () => {
  srv = await startServer();
  env = await launch();
  await importPack(env);
});

after(async () => {
  await env?.close();
  await srv?.close();
});

async function open(name) {
  const page = await env.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${srv.base}/page/${name}`);
  await page.waitForFunction(() => window.__ready);
  return { page, errors };
}

/** The editor's own text (its model, through the fixture), paragraphs as single newlines; a text input's value when `input` names it. */
const text = (page, input) => (input ? page.locator(input).inputValue() : page.evaluate(() => window.__getText().replace(/\n+/g, '\n').trim()));

/** What the open card shows: its words, its findings (category, severity, rule) and its buttons. */
function card(page) {
  return inOverlay(page, (root) => {
    const c = root?.querySelector('.card');
    if (!c || c.hidden) return null;
    return {
      lang: c.lang,
      words: c.querySelector('.words')?.textContent,
      items: [...c.querySelectorAll('.item')].map((i) => ({ category: i.dataset.category, severity: i.dataset.severity, rule: i.dataset.rule, text: i.innerText, lang: i.querySelector('.message')?.lang })),
      fixes: [...c.querySelectorAll('button[data-fix]')].map((b) => ({ fix: b.dataset.fix, label: b.textContent })),
    };
  });
}

/** Hover the first highlight as a user does; returns the card once it is open. */
async function hoverCard(page) {
  const [b] = await waitForBoxes(page, 1);
  await page.mouse.move(b.x + b.w / 2, b.y + b.h / 2);
  return until(() => card(page), 'the card');
}

/** Click a fix on the open card: the pointer travels from the words to the button, as a user's does. */
async function clickFix(page, fix) {
  const r = await untilOverlay(page, (root, fix) => {
    const b = root?.querySelector(`.card:not([hidden]) button[data-fix="${fix}"]`);
    if (!b) return null;
    const x = b.getBoundingClientRect();
    return { x: x.x + x.width / 2, y: x.y + x.height / 2 };
  }, fix, 10_000, `the "${fix}" button`);
  await page.mouse.move(r.x, r.y, { steps: 8 });
  await page.mouse.click(r.x, r.y);
}

const noBoxes = (page) => untilOverlay(page, (root) => (root?.querySelectorAll('.layer > .box').length ?? 1) === 0, null, 10_000, 'no highlight');

for (const [name, field] of Object.entries(FIELDS)) {
  test(`${name}: "Use initials" and "Remove" edit through the editor, and Ctrl+Z brings the words back`, async () => {
    const { page, errors } = await open(field.page);
    await page.locator(field.sel).click();
    await page.keyboard.type(DRAFT);
    // The teacher reads the card before acting (editors merge edits made within a second into one undo step).
    await new Promise((r) => setTimeout(r, 1100));
    const c = await hoverCard(page);
    assert.equal(c.words, '“Tom Smith”');
    // A pupil's name is never "always allowed" from the card: once, at most.
    assert.deepEqual(c.fixes.map((f) => f.fix), ['initials', 'remove', 'ignore']);
    assert.deepEqual(c.fixes.map((f) => f.label), ['Use initials', 'Remove', 'Ignore once']);
    if (name === 'draft') await page.screenshot({ path: shot('card-fixes') });

    await clickFix(page, 'initials');
    await until(async () => (await text(page, field.input && field.sel)) === 'We had a great day with T.S. at the fair', 'the initials in the editor', 5000)
      .catch(async (e) => { throw new Error(`${e.message}: ${JSON.stringify(await text(page, field.input && field.sel))}`); });
    await noBoxes(page);
    // The editor keeps focus: the teacher types on.
    await page.keyboard.type('!');
    await until(async () => (await text(page, field.input && field.sel)) === 'We had a great day with T.S.! at the fair', 'typing on after the fix', 5000)
      .catch(async (e) => { throw new Error(`${e.message}: ${JSON.stringify(await text(page, field.input && field.sel))}`); });
    await page.keyboard.press('Backspace');

    // Undo restores the name (the editor's own history), and it is found again.
    for (let i = 0; i < 4 && (await text(page, field.input && field.sel)) !== DRAFT; i++) {
      await page.keyboard.press('Control+z');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(await text(page, field.input && field.sel), DRAFT, 'Ctrl+Z brings the words back');
    await waitForBoxes(page, 1);

    await new Promise((r) => setTimeout(r, 1100));
    await hoverCard(page);
    await clickFix(page, 'remove');
    await until(async () => (await text(page, field.input && field.sel)) === 'We had a great day with at the fair', 'the name removed', 5000)
      .catch(async (e) => { throw new Error(`${e.message}: ${JSON.stringify(await text(page, field.input && field.sel))}`); });
    await noBoxes(page);
    await page.keyboard.press('Control+z');
    await until(async () => (await text(page, field.input && field.sel)) === DRAFT, 'undo of the removal', 5000)
      .catch(async (e) => { throw new Error(`${e.message}: ${JSON.stringify(await text(page, field.input && field.sel))}`); });
    await waitForBoxes(page, 1);

    // Nothing was posted, and the page saw no error.
    assert.deepEqual(await page.evaluate(() => window.__posted), []);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

for (const name of ['textarea', 'lexical']) {
  test(`${name}: from the keyboard: the caret in the words opens the card and says how; Alt+Shift+F, an arrow, Enter applies "Remove"; Escape goes back`, async () => {
    const { page } = await open(name);
    await page.locator(EDITOR[name]).click();
    await page.keyboard.type(DRAFT);
    await waitForBoxes(page, 1);
    await page.mouse.move(1, 1);
    await new Promise((r) => setTimeout(r, 1100));
    // The caret into the name, by the arrow keys.
    for (let i = 0; i < ' at the fair'.length + 2; i++) await page.keyboard.press('ArrowLeft');
    const said = await until(() => inOverlay(page, (root) => {
      const c = root?.querySelector('.card');
      return c && !c.hidden ? root.querySelector('.sr[aria-live]').textContent : null;
    }), 'the card at the caret');
    assert.match(said, /Tom Smith/);
    assert.match(said, /To fix it from the keyboard, press Alt\+Shift\+F\./);
    const focused = () => inOverlay(page, (root) => root?.activeElement?.dataset?.fix ?? null);

    // Escape gives focus back to the editor, nothing changed.
    await page.keyboard.press('Alt+Shift+KeyF');
    assert.equal(await focused(), 'initials');
    await page.keyboard.press('Escape');
    assert.equal(await focused(), null);
    assert.equal(await page.evaluate(() => document.activeElement === window.__editor || window.__editor.contains(document.activeElement)), true, 'focus back in the editor');
    assert.equal(await text(page), DRAFT);

    await page.keyboard.press('Alt+Shift+KeyF');
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(), 'remove');
    await page.keyboard.press('Enter');
    await until(async () => (await text(page)) === 'We had a great day with at the fair', 'the name removed', 5000)
      .catch(async (e) => { throw new Error(`${e.message}: ${JSON.stringify(await text(page))}`); });
    assert.equal(await page.evaluate(() => document.activeElement === window.__editor || window.__editor.contains(document.activeElement)), true, 'focus back in the editor');
    await page.keyboard.press('Control+z');
    await until(async () => (await text(page)) === DRAFT, 'undo', 5000);
    assert.deepEqual(await page.evaluate(() => window.__posted), []);
    await page.close();
  });
}

test('"Ignore once": the highlight goes and Post is not held for those words; other words still are', async () => {
  const { page } = await open('textarea');
  await page.locator('#editor').click();
  await page.keyboard.type(DRAFT);
  await hoverCard(page);
  await clickFix(page, 'ignore');
  await noBoxes(page);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await page.waitForFunction(() => window.__posted.length === 1, null, { timeout: 10_000 });
  assert.equal((await page.evaluate(() => window.__posted))[0].text, DRAFT);
  await page.close();
});

test('a press on the card away from its fixes closes it and reaches nothing; the next press at that point reaches the page', async () => {
  const { page } = await open('textarea');
  await page.locator('#editor').click();
  await page.keyboard.type(DRAFT);
  await waitForBoxes(page, 1);
  await page.mouse.move(1, 1);
  // The caret in the name opens the card (as "Edit draft" leaves it), over whatever is below the words.
  for (let i = 0; i < ' at the fair'.length + 2; i++) await page.keyboard.press('ArrowLeft');
  await until(() => card(page), 'the card at the caret');
  const spot = await inOverlay(page, (root) => {
    const r = root.querySelector('.card .words').getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  });
  await page.evaluate(() => { window.__presses = 0; window.addEventListener('mousedown', () => { window.__presses++; }); window.addEventListener('click', () => { window.__presses++; }); });
  await page.mouse.click(spot.x, spot.y);
  await until(async () => (await card(page)) === null, 'the card to close');
  assert.equal(await page.evaluate(() => window.__presses), 0, 'the press that closed the card reached nothing of the page');
  // The caret is still in the words: the card stays shut, and the next press goes to the page.
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await card(page), null, 'the card stays closed while the caret is in the same words');
  await page.mouse.click(spot.x, spot.y);
  assert.equal(await page.evaluate(() => window.__presses), 2, 'the next press (down and click) reached the page');
  assert.deepEqual(await page.evaluate(() => window.__posted), []);
  await page.close();
});

test('one card for words two rules find: the most severe first', async () => {
  const { page } = await open('textarea');
  await page.locator('#editor').click();
  await page.keyboard.type('Proud to teach at Saint Paul\'s Catholic High School');
  await waitForBoxes(page, 1);
  const all = await boxes(page);
  const c = await hoverCard(page);
  assert.ok(c.items.length >= 2, `the card lists every finding on the words: ${JSON.stringify(c.items)}`);
  const cats = c.items.map((i) => i.category);
  assert.ok(cats.includes('school') && cats.includes('affiliation'), JSON.stringify(c.items));
  const rank = { block: 2, warn: 1, info: 0 };
  for (let i = 1; i < c.items.length; i++) assert.ok(rank[c.items[i - 1].severity] >= rank[c.items[i].severity], `most severe first: ${JSON.stringify(c.items)}`);
  assert.deepEqual(c.fixes.map((f) => f.fix), ['remove', 'ignore'], 'the school\'s name is never "always allowed" from the card');
  // One box a line of the words, not one a finding.
  const ys = new Set(all.map((b) => Math.round(b.y)));
  assert.equal(all.length, ys.size, `one highlight per line of the words: ${JSON.stringify(all)}`);
  await page.screenshot({ path: shot('card-merged') });
  await page.close();
});

test('the highlight follows the words when an image above the editor loads (no key pressed)', async () => {
  const { page } = await open('lexical');
  await page.locator('#editor').click();
  await page.keyboard.type(DRAFT);
  const [before] = await waitForBoxes(page, 1);
  // The site puts a 160 px image above the composer; it loads after a moment.
  await page.evaluate(() => {
    const img = new Image();
    img.id = 'banner';
    img.alt = '';
    img.style.display = 'block';
    document.querySelector('main').prepend(img);
    setTimeout(() => {
      const c = document.createElement('canvas');
      c.width = 400; c.height = 160;
      img.src = c.toDataURL();
    }, 200);
  });
  await page.mouse.move(1, 1);
  const moved = await until(async () => {
    const [b] = await boxes(page);
    return b && Math.abs(b.y - (before.y + 160)) <= 2 ? b : null;
  }, 'the highlight to move down 160 px', 5000).catch(async (e) => { throw new Error(`${e.message}: ${JSON.stringify({ before, now: await boxes(page) })}`); });
  const words = await page.evaluate(() => {
    const n = [...document.querySelectorAll('#editor *')].flatMap((e) => [...e.childNodes]).find((x) => x.nodeType === 3 && x.data.includes('Tom Smith'));
    const r = document.createRange();
    const i = n.data.indexOf('Tom Smith');
    r.setStart(n, i); r.setEnd(n, i + 9);
    const b = r.getBoundingClientRect();
    return { x: b.x, y: b.y };
  });
  assert.ok(Math.abs(moved.y - words.y) <= 1 && Math.abs(moved.x - words.x) <= 1, `over the words: ${JSON.stringify({ moved, words })}`);
  await page.close();
});

test('the overlay\'s and the dialog\'s styles cannot reach each other; the reminder is readable in the dialog', async () => {
  const { page } = await open('textarea');
  await page.locator('#editor').click();
  await page.keyboard.type(DRAFT);
  await waitForBoxes(page, 1);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await waitForDialog(page);
  const scoped = await inOverlay(page, (root) => {
    const scopes = [':host', '.layer', '.card', '.sr', '.mirrors', 'dialog.hold'];
    const bad = [];
    for (const sheet of root.querySelectorAll('style')) {
      for (const rule of sheet.sheet.cssRules) {
        const rules = rule.cssRules && !rule.selectorText ? [...rule.cssRules] : [rule];
        for (const r of rules) {
          if (!r.selectorText) continue;
          for (const s of r.selectorText.split(',').map((x) => x.trim())) if (!scopes.some((p) => s === p || s.startsWith(`${p} `) || s.startsWith(`${p}[`) || s.startsWith(`${p}:`) || s.startsWith(`${p}.`))) bad.push(s);
        }
      }
    }
    // A reminder paragraph in the dialog (the class the composer's pill uses too) keeps the dialog's look.
    const d = root.querySelector('dialog[open]');
    const p = document.createElement('p');
    p.className = 'reminder';
    p.textContent = 'x';
    d.prepend(p);
    const cs = getComputedStyle(p);
    const out = { bad, position: cs.position, color: cs.color, pointer: cs.pointerEvents };
    p.remove();
    return out;
  });
  assert.deepEqual(scoped.bad, [], 'every style rule is scoped to its own part');
  assert.equal(scoped.position, 'static');
  assert.notEqual(scoped.color, 'rgb(255, 255, 255)');
  await page.close();
});

test('a long dialog opens at its top, with its buttons in view (sticky footer)', async () => {
  const { page } = await open('textarea');
  await page.locator('#editor').click();
  await page.keyboard.insertText(Array.from({ length: 14 }, (_, i) => `Day ${i + 1}: Tom Smith read to the class.`).join('\n'));
  await waitForBoxes(page, 1);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  const info = await waitForDialog(page);
  assert.ok(info.items.length >= 14, `a long list: ${info.items.length}`);
  const view = await inOverlay(page, (root) => {
    const d = root.querySelector('dialog[open]');
    const box = d.getBoundingClientRect();
    const title = d.querySelector('h2').getBoundingClientRect();
    const edit = d.querySelector('button[data-action="edit"]').getBoundingClientRect();
    return { scrollTop: d.scrollTop, scrolls: d.scrollHeight > d.clientHeight, box: { top: box.top, bottom: box.bottom }, title: { top: title.top }, edit: { top: edit.top, bottom: edit.bottom }, focused: root.activeElement?.dataset?.action };
  });
  assert.ok(view.scrolls, 'the list is longer than the dialog');
  assert.equal(view.scrollTop, 0, 'opens at the top');
  assert.ok(view.title.top >= view.box.top, 'the title is in view');
  assert.ok(view.edit.top >= view.box.top && view.edit.bottom <= view.box.bottom + 0.5, `the buttons are in view: ${JSON.stringify(view)}`);
  assert.equal(view.focused, 'edit');
  await page.screenshot({ path: shot('dialog-long') });
  await page.close();
});

test('"Always allow this word": the words are no longer found, and the teacher\'s allow list has them', async () => {
  const { page } = await open('quill');
  await page.locator(EDITOR.quill).click();
  await page.keyboard.type('Update on Project Bluebird today');
  const c = await hoverCard(page);
  assert.equal(c.words, '“Project Bluebird”');
  assert.deepEqual(c.fixes.map((f) => f.fix), ['remove', 'ignore', 'allow'], 'no initials for words that are not a name');
  await clickFix(page, 'allow');
  await noBoxes(page);
  // A new draft with the same words: still allowed (it is on the list, not ignored once).
  const again = await open('textarea');
  await again.page.locator('#editor').click();
  await again.page.keyboard.type('More on Project Bluebird');
  await again.page.getByRole('button', { name: 'Post', exact: true }).click();
  await again.page.waitForFunction(() => window.__posted.length === 1, null, { timeout: 10_000 });
  const opts = await env.context.newPage();
  await opts.goto(`chrome-extension://${env.extensionId}/options.html`);
  await until(async () => (await opts.locator('#allow').inputValue()).split('\n').includes('Project Bluebird'), 'the allow list');
  await Promise.all([page.close(), again.page.close(), opts.close()]);
});
