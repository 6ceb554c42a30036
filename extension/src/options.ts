/** Options: the teacher's own terms and allow list, packs, import and export as JSON. */
import { localisePage, t } from './i18n';
import { send } from './protocol';

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
  const st = await send({ kind: 'status' });
  const list = $('pack-list');
  list.replaceChildren();
  if (st.kind !== 'status' || !st.status.ok) {
    const li = document.createElement('li');
    li.className = 'error';
    li.textContent = t('engineFailed', [st.kind === 'status' ? st.status.error ?? '' : st.message]);
    list.append(li);
    return;
  }
  for (const p of st.status.packs) {
    const li = document.createElement('li');
    li.dataset.packId = p.id;
    li.textContent = p.expires ? t('packLineExpires', [p.name, p.version, p.expires]) : t('packLine', [p.name, p.version]);
    list.append(li);
  }
  for (const err of st.status.packErrors) {
    const li = document.createElement('li');
    li.className = 'error';
    li.textContent = t('packSkipped', [err]);
    list.append(li);
  }
}

async function load(): Promise<void> {
  const res = await send({ kind: 'getSettings' });
  if (res.kind !== 'settings') { say(res.kind === 'error' ? res.message : '', true); return; }
  $<HTMLTextAreaElement>('terms').value = res.settings.terms.join('\n');
  $<HTMLTextAreaElement>('allow').value = res.settings.allow.join('\n');
  $('overrides').textContent = t('overrideCount', [String(res.overrides)]);
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
  await refresh();
}

void main();
