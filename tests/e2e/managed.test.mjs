// Trust deployment: the extension managed by Chromium policy, written as the Linux
// example in docs/examples/chromium-linux-policy.json (with the pack URL filled in).
// Needs root (the policy directory is /etc/chromium/policies/managed); the file is
// removed afterwards whatever happens.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EXTENSION_ID, assertNoNetwork, compose, dialogButton, inOverlay, launch, overlayCount, overlayText, requireDist, waitForBoxes, waitForDialog, waitForOverlay, until } from './helpers.mjs';
import { startServer } from './fixtures/server.mjs';
import { IS_ROOT, NOT_ROOT_MESSAGE, clockFromNow, example, examplePolicy, removePolicy, sha256, startPackServer, writePolicy } from './policy-helpers.mjs';

const skip = IS_ROOT ? false : NOT_ROOT_MESSAGE;
if (!IS_ROOT) console.log(`# managed.test.mjs skipped: ${NOT_ROOT_MESSAGE}`);

describe('managed policy', { skip }, () => {
  let srv;
  let packs;
  let env;
  let policy;
  const downloaded = example('downloaded.pack.json');

  before(async () => {
    requireDist();
    srv = await startServer();
    packs = await startPackServer({ '/downloaded.pack.json': downloaded });
    policy = examplePolicy();
    // The example's hash is the example pack's: the docs and the test agree.
    assert.equal(policy.packUrls[0].sha256, sha256(downloaded));
    policy.packUrls[0].url = `${packs.base}/downloaded.pack.json`;
    policy.sites.remove = ['localhost'];
    // An expired pack still works, and the pages say since when (the example itself is valid today).
    policy.packs[0].expires = '2020-08-31';
    policy.workingHours = { days: ['1', '2', '3', '4', '5', '6', '7'], start: clockFromNow(-60), end: clockFromNow(60), message: 'Working hours: is this for the school account?' };
    writePolicy(policy);
    env = await launch();
  });

  after(async () => {
    removePolicy();
    await env?.close();
    await srv?.close();
    await packs?.close();
  });


  const selftest = async () => {
    const page = await env.context.newPage();
    await page.goto(`chrome-extension://${EXTENSION_ID}/selftest.html`);
    return page;
  };

  test('the managed inline pack is used: its pupil is highlighted; the dialog names the trust, links its policy, asks a reason, reminds of working hours', async () => {
    // storage.managed may arrive after the worker starts: wait for the pack to load.
    await until(() => env.sw.evaluate(() => chrome.storage.managed.get('packs').then((x) => x.packs?.length > 0)), 'the policy to reach the extension');
    const page = await compose(env, `${srv.base}/page/lexical`, '#editor', 'Well done Amara Okonkwo at the gala');
    const b = await waitForBoxes(page, 1, 20_000);
    assert.equal(b.length, 1);
    assert.equal(b[0].category, 'pupil');
    // Working-hours reminder on the composer (the window is around now).
    assert.equal(await waitForOverlay(page, '.reminder'), policy.workingHours.message);

    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await waitForDialog(page);
    assert.match(await overlayText(page, 'dialog[open] [data-postsafe="org"]'), /Example Trust/);
    assert.equal(await inOverlay(page, (root) => root.querySelector('dialog[open] [data-postsafe="org"] a').getAttribute('href')), policy.policyUrl);
    assert.equal(await overlayText(page, 'dialog[open] [data-postsafe="reminder"]'), policy.workingHours.message);
    assert.equal(await inOverlay(page, (root) => root.querySelector('dialog[open] button[data-action="post"]').disabled), true, '"Post anyway" waits for a reason');
    // The reason (a <select>; set as its own change would set it).
    await inOverlay(page, (root) => { const s = root.querySelector('dialog[open] select[data-field="reason"]'); s.value = 'consent'; s.dispatchEvent(new Event('change', { bubbles: true })); });
    await dialogButton(page, page, 'post');
    await page.waitForFunction(() => window.__posted.length === 1);
    const counts = await env.sw.evaluate(() => chrome.storage.local.get(['overrideCount', 'overrideReasons']));
    assert.deepEqual(counts, { overrideCount: 1, overrideReasons: { consent: 1 } });
    await page.close();
  });

  test('options show the managed values locked, "set by your organisation"', async () => {
    const page = await env.context.newPage();
    await page.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
    await page.locator('#managed tr[data-setting="orgName"]').waitFor();
    for (const key of ['orgName', 'policyUrl', 'overrideReasonRequired', 'userTermsAllowed', 'workingHours', 'packUrls', 'sitesRemove']) {
      const row = page.locator(`#managed tr[data-setting="${key}"]`);
      assert.equal(await row.getAttribute('data-source'), 'organisation', key);
      assert.equal(await row.getAttribute('data-locked'), 'true', key);
      assert.match(await row.innerText(), /set by your organisation/);
    }
    assert.equal(await page.locator('#managed tr[data-setting="overrideAllowed"]').getAttribute('data-source'), 'organisation');
    // userTermsAllowed: false locks the teacher's lists and import.
    for (const id of ['#terms', '#allow', '#import', '#save']) assert.equal(await page.locator(id).isDisabled(), true, id);
    assert.equal(await page.locator('#terms-locked').isVisible(), true);
    // Sites the policy removes are off, and the popup's switch is locked.
    const site = await page.evaluate(() => chrome.runtime.sendMessage({ kind: 'siteState', host: 'localhost' }));
    assert.deepEqual(site, { kind: 'siteState', enabled: false, locked: true });
    await page.close();
  });

  test('the pack URL is downloaded, checked against its SHA-256 and loaded; the self-test says where each pack came from', async () => {
    const page = await selftest();
    await page.locator('#packs li[data-pack-id="example-download"]').waitFor({ timeout: 20_000 });
    const src = (id) => page.locator(`#packs li[data-pack-id="${id}"]`).getAttribute('data-source');
    assert.equal(await src('example-download'), 'url');
    assert.equal(await src('example-trust'), 'managed');
    assert.equal(await page.locator('#packs li[data-source="builtin"]').count(), 1, 'builtinChecks "add" keeps the built-in pack');
    // Expired packs still work, and say since when.
    const exp = page.locator('#packs li[data-pack-id="example-trust"]');
    assert.equal(await exp.getAttribute('data-expired'), '2020-08-31');
    assert.match(await exp.innerText(), /expired since 2020-08-31/);
    // Settings in force, and who set them.
    assert.equal(await page.locator('#settings tr[data-setting="orgName"]').getAttribute('data-source'), 'organisation');
    assert.equal(await page.locator('#settings tr[data-setting="builtinChecks"]').getAttribute('data-source'), 'organisation');
    // The sample draft is checked live.
    await page.locator('#sample').fill('Jasper Quint and Amara Okonkwo read Operation Kestrel');
    await page.locator('#sample-findings li[data-category="pupil"]').nth(1).waitFor();
    const cats = await page.locator('#sample-findings li').evaluateAll((ls) => ls.map((l) => l.dataset.category));
    assert.deepEqual(cats.sort(), ['confidential', 'pupil', 'pupil']);
    assert.ok(packs.hits.includes('/downloaded.pack.json'));
    await page.close();
  });

  test('a policy changed during the run takes effect: a wrong hash keeps the last good pack and says why; the reminder follows the new hours; "Post anyway" can be withdrawn', async () => {
    const changed = structuredClone(policy);
    changed.packUrls[0].sha256 = sha256(Buffer.from('not the pack'));
    changed.workingHours = { ...policy.workingHours, start: clockFromNow(120), end: clockFromNow(180) };
    changed.overrideAllowed = false;
    packs.files['/downloaded.pack.json'] = Buffer.from(downloaded.toString().replace('"version": "1"', '"version": "2"'));
    writePolicy(changed);
    // Chromium watches the policy directory; a change applies a few seconds after the write.
    await until(() => env.sw.evaluate(() => chrome.storage.managed.get('overrideAllowed').then((x) => x.overrideAllowed === false)), 'the changed policy', 30_000);

    const page = await selftest();
    const problem = page.locator('#packs li[data-problem="url"]');
    await problem.waitFor({ timeout: 20_000 });
    assert.match(await problem.innerText(), /SHA-256 is [0-9a-f]{64}, but the policy expects/);
    assert.match(await problem.innerText(), /last good copy is in use/);
    // The last good copy (version 1) is still in force.
    assert.match(await page.locator('#packs li[data-pack-id="example-download"]').innerText(), /version 1\b/);
    await page.close();
    const popup = await env.context.newPage();
    await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await popup.locator('#packs li[data-problem="url"]').waitFor();
    assert.match(await popup.locator('#packs li[data-problem="url"]').innerText(), /SHA-256/);
    // The status line in a teacher's words: which copy is in use, and from when.
    assert.match(await popup.locator('#engine').innerText(), /^The list server sent a list Postsafe could not use: using the copy from (a moment|\d+ minutes?) ago\.$/);
    assert.match(await popup.locator('#packs li[data-pack-id="example-trust"]').innerText(), /expired since 2020-08-31/);
    await popup.close();

    // Outside the working-hours window: no reminder; "Post anyway" withdrawn.
    const c = await compose(env, `${srv.base}/page/textarea`, '#editor', 'Jasper Quint won');
    await waitForBoxes(c, 1, 20_000);
    assert.equal(await overlayCount(c, '.reminder'), 0);
    await c.getByRole('button', { name: 'Post', exact: true }).click();
    await waitForDialog(c);
    assert.equal(await overlayCount(c, 'dialog[open] button[data-action="post"]'), 0);
    assert.equal(await overlayCount(c, 'dialog[open] [data-postsafe="reminder"]'), 0);
    await dialogButton(c, c, 'edit');
    assert.deepEqual(await c.evaluate(() => window.__posted), []);
    await c.close();
  });

  test('no request left 127.0.0.1', () => assertNoNetwork(env));
});
