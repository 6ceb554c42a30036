/** Options: the teacher's own terms and allow list, packs, import and export as JSON. */
import { localisePage, t } from './i18n';
import { send } from './protocol';
import { fillNotices, fillPacks, fillSettings, li, notReady, sitesButton, statusLine } from './settingsview';
import { hostMatches } from './policy';
import { readDisabledSites, readUrlPackStatus } from './store';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function lines(s: string): string[] {
  return s.split('\n').map((x) => x.trim()).filter(Boolean);
}

function say(text: string, error = false): void {
  const el = $('message');
  el.textContent = text;
  el.dataset.state = error ? 'error' : 'ok';
}

async function showStatus(): Promise<void> {
  const [st, pol, urls] = await Promise.all([send({ kind: 'status' }), send({ kind: 'policy' }), readUrlPackStatus()]);
  const line = $('engine');
  if (st.kind === 'status' && st.status.ok) {
    const mine = pol.kind === 'policy' ? pol.settings.packUrls.map((u) => u.url) : [];
    const s = statusLine(st.status, Object.fromEntries(Object.entries(urls).filter(([u]) => mine.includes(u))));
    line.textContent = s.text;
    line.dataset.state = 'ok';
    line.dataset.lists = s.state;
  } else {
    const why = notReady(st);
    line.textContent = why.text;
    line.dataset.state = why.state;
  }
  const list = $('pack-list');
  list.replaceChildren();
  const notices = $('notices');
  notices.replaceChildren();
  if (st.kind === 'status') fillNotices(notices, st.status);
  if (st.kind !== 'status' || !st.status.ok) {
    list.append(li(notReady(st).text, 'error'));
    return;
  }
  fillPacks(list, st.status);
}

/** Settings the organisation set are shown locked, marked "set by your organisation". */
async function showPolicy(): Promise<void> {
  const pol = await send({ kind: 'policy' });
  if (pol.kind !== 'policy') return;
  const p = pol.settings;
  fillSettings($<HTMLTableSectionElement>('managed'), p);
  for (const row of $('managed').querySelectorAll<HTMLElement>('tr[data-source="organisation"]')) row.dataset.locked = 'true';
  sitesButton($('sites'), p);
  await showSites(p);
  const locked = !p.userTermsAllowed;
  for (const id of ['terms', 'allow', 'import', 'save']) {
    const el = $<HTMLInputElement>(id);
    el.disabled = locked;
    if (locked) el.title = t('setByOrganisation');
  }
  $('terms-locked').hidden = !locked;
  for (const b of $('imported').querySelectorAll('button')) (b as HTMLButtonElement).disabled = locked;
}

/**
 * The sites whose checking someone changed, and who, in words: the organisation's
 * (locked, no button) and the teacher's own switched-off sites (a button turns
 * checking back on).
 */
async function showSites(p: { sitesAdd: string[]; sitesRemove: string[] }): Promise<void> {
  const list = $('site-list');
  list.replaceChildren();
  const row = (host: string, key: string, who: 'organisation' | 'you') => {
    const el = li(t(key, [host]));
    el.dataset.site = host;
    el.dataset.setBy = who;
    if (who === 'organisation') el.className = 'locked';
    list.append(el);
    return el;
  };
  for (const h of p.sitesAdd) row(h, 'siteOnByOrganisation', 'organisation');
  for (const h of p.sitesRemove) row(h, 'siteOffByOrganisation', 'organisation');
  for (const h of await readDisabledSites()) {
    if ([...p.sitesAdd, ...p.sitesRemove].some((e) => hostMatches(h, e))) continue;
    const el = row(h, 'siteOffByYou', 'you');
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = t('siteTurnOn');
    b.addEventListener('click', async () => { await send({ kind: 'setSiteEnabled', host: h, enabled: true }); await refresh(); });
    el.append(' ', b);
  }
  $('sites-empty').hidden = list.childElementCount > 0;
}

async function load(): Promise<void> {
  const res = await send({ kind: 'getSettings' });
  if (res.kind !== 'settings') { say(res.kind === 'error' ? res.message : '', true); return; }
  $<HTMLTextAreaElement>('terms').value = res.settings.terms.join('\n');
  $<HTMLTextAreaElement>('allow').value = res.settings.allow.join('\n');
  const reasons = Object.entries(res.overrideReasons).map(([k, n]) => `${t(`overrideReason_${k}`)}: ${n}`).join('; ');
  $('overrides').textContent = t('overrideCount', [String(res.overrides)]) + (reasons ? ` (${reasons})` : '');
  const imported = $('imported');
  imported.replaceChildren();
  res.packs.forEach((doc, index) => {
    let name = `#${index + 1}`;
    try { const p = JSON.parse(doc) as { name?: string; id?: string }; name = p.name ?? p.id ?? name; } catch { /* shown by index */ }
    const li = document.createElement('li');
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = t('remove');
    remove.addEventListener('click', async () => { await send({ kind: 'removePack', index }); await refresh(); });
    li.append(`${name} `, remove);
    imported.append(li);
  });
}

async function refresh(): Promise<void> {
  await load();
  await showStatus();
  await showPolicy();
}

async function main(): Promise<void> {
  localisePage(document);
  $('settings-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const res = await send({
      kind: 'saveSettings',
      settings: { terms: lines($<HTMLTextAreaElement>('terms').value), allow: lines($<HTMLTextAreaElement>('allow').value) },
    });
    if (res.kind === 'error') say(t('saveFailed', [res.message]), true); else say(t('saved'));
    await refresh();
  });
  $('export').addEventListener('click', async () => {
    const res = await send({ kind: 'exportSettings' });
    if (res.kind !== 'exported') return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([res.json], { type: 'application/json' }));
    a.download = 'postsafe-settings.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  });
  $<HTMLInputElement>('import').addEventListener('change', async (e) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const res = await send({ kind: 'importPack', json: await file.text() });
    input.value = '';
    if (res.kind === 'error') say(t('importFailed', [res.message]), true); else say(t('imported'));
    await refresh();
  });
  $('open-selftest').addEventListener('click', () => { void chrome.tabs.create({ url: chrome.runtime.getURL('selftest.html') }); });
  // A policy that arrives or changes while the page is open.
  chrome.storage.onChanged.addListener((_c, area) => { if (area === 'managed') void refresh(); });
  await refresh();
}

void main();
