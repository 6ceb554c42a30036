// Privacy: drafts naming pupils are typed in every fixture editor; then every storage
// area the extension has (storage.local, sync, session, managed aside; IndexedDB,
// CacheStorage and localStorage of the extension origin) is read, and no draft text
// and no roster name may be in any of it. No request may leave 127.0.0.1.
//
// The roster comes by managed policy (root) or, without root, through the options
// page's import. Packs the trust or teacher deployed are kept as deployed (the
// managed inline pack's last good copy, an imported pack); those exact documents
// are taken out of the dump first: what must not be there is anything the extension
// learnt from a draft.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PACK, assertNoNetwork, dialogButton, importPack, launch, requireDist, waitForBoxes, waitForDialog } from './helpers.mjs';
import { EDITORS, startServer } from './fixtures/server.mjs';
import { IS_ROOT, example, removePolicy, writePolicy } from './policy-helpers.mjs';

const EDITOR = { textarea: '#editor', shadow: '#editor-host .ce', lexical: '#editor', draft: '.public-DraftEditor-content', prosemirror: '.ProseMirror', quill: '.ql-editor' };
const managedPack = JSON.parse(example('trust.pack.json'));
const importedPack = readFileSync(PACK, 'utf8');
const ROSTER = IS_ROOT ? ['Amara', 'Okonkwo'] : ['Thomas', 'Smith'];
const NAME = IS_ROOT ? 'Amara Okonkwo' : 'Tom Smith';
const MARK = 'zebracrossing';

let srv;
let env;

before(async () => {
  requireDist();
  srv = await startServer();
  if (IS_ROOT) writePolicy({ packs: [managedPack] });
  else console.log('# privacy.test.mjs: not root, so the roster is imported through the options page instead of by policy');
  env = await launch();
  if (!IS_ROOT) await importPack(env);
});

after(async () => {
  removePolicy();
  await env?.close();
  await srv?.close();
});

test('drafts with pupil names in every editor leave no draft text and no roster name in any storage area', async () => {
  const drafts = [];
  for (const name of EDITORS) {
    const page = await env.context.newPage();
    await page.goto(`${srv.base}/page/${name}`);
    await page.waitForFunction(() => window.__ready);
    await page.locator(EDITOR[name]).click();
    const draft = `Sports day ${MARK}${name} with ${NAME} was great`;
    drafts.push(draft);
    await page.keyboard.type(draft);
    await page.locator('#alt').fill(`${NAME} holding the cup ${MARK}alt`);
    await waitForBoxes(page, 2, 20_000);
    // Through the held-post dialog, and "Post anyway" (which counts, and stores nothing else).
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await waitForDialog(page);
    await dialogButton(page, page, 'post');
    await page.waitForFunction(() => window.__posted.length === 1);
    await page.close();
  }
  // The popup and self-test page were used too (the self-test checks a sample live).
  const st = await env.context.newPage();
  await st.goto(`chrome-extension://${env.extensionId}/selftest.html`);
  await st.locator('#sample').fill(`${MARK}sample ${NAME}`);
  await st.locator('#sample-findings li[data-category="pupil"]').waitFor();
  const popup = await env.context.newPage();
  await popup.goto(`chrome-extension://${env.extensionId}/popup.html`);
  await popup.locator('#engine[data-state="ok"]').waitFor();
  await popup.close();

  const dump = await st.evaluate(async () => {
    const out = {};
    out.local = await chrome.storage.local.get(null);
    out.sync = await chrome.storage.sync.get(null);
    out.session = await chrome.storage.session.get(null);
    out.localStorage = { ...localStorage };
    out.sessionStorage = { ...sessionStorage };
    out.caches = await caches.keys();
    out.indexedDB = {};
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((res, rej) => { const r = indexedDB.open(name); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
      for (const store of db.objectStoreNames) {
        out.indexedDB[`${name}/${store}`] = await new Promise((res) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => res(r.result); r.onerror = () => res(String(r.error));
        });
      }
      db.close();
    }
    return out;
  });
  // And the worker's view of storage (the same areas, from the background).
  dump.worker = await env.sw.evaluate(async () => ({ local: await chrome.storage.local.get(null), session: await chrome.storage.session.get(null) }));
  await st.close();

  // Take out the packs as deployed (a pack document with the deployed pack's id and roster).
  const deployed = new Map([[managedPack.id, managedPack], [JSON.parse(importedPack).id, JSON.parse(importedPack)]]);
  const strip = (v) => {
    if (typeof v === 'string') {
      try {
        const p = JSON.parse(v);
        const d = p && deployed.get(p.id);
        if (d && p.format === 1 && JSON.stringify(p.pupils) === JSON.stringify(d.pupils)) return `<pack ${p.id}>`;
      } catch { /* not JSON */ }
      return v;
    }
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x)]));
    return v;
  };
  const text = JSON.stringify(strip(dump));
  assert.ok(!text.includes(MARK), `draft text in storage: ${text.slice(0, 2000)}`);
  for (const name of ROSTER) assert.ok(!text.includes(name), `"${name}" in storage: ${text.slice(0, 2000)}`);
  for (const d of drafts) assert.ok(!text.includes(d.slice(0, 20)));
  // The roster image the worker keeps between starts was among what was searched: keys
  // of the roster, no name.
  assert.ok(dump.indexedDB['postsafe/docs'].some((r) => r && typeof r.engine === 'string' && r.bytes), 'a roster image in IndexedDB');
  // The override was counted, as a number.
  assert.equal(dump.local.overrideCount, EDITORS.length);
});

test('no request left 127.0.0.1', () => assertNoNetwork(env));
