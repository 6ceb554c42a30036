/**
 * Self-test page: which packs are loaded and from where, their expiry, what went
 * wrong, the settings in force and who set them, and a sample draft checked live.
 * The sample is sent to the engine like a composer's draft and never stored.
 */
import { findingText, localisePage, t } from './i18n';
import { send } from './protocol';
import { fillNotices, fillPacks, fillSettings, li, notReady, sitesButton } from './settingsview';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function showStatus(): Promise<void> {
  const st = await send({ kind: 'status' });
  const engine = $('engine');
  const packs = $('packs');
  if (st.kind === 'status' && st.status.ok) {
    engine.textContent = t('engineReady', [st.status.version ?? '?']);
    engine.dataset.state = 'ok';
    fillPacks(packs, st.status);
    if (st.status.builtinReplaced) packs.append(li(t('builtinReplaced')));
  } else {
    const why = notReady(st);
    engine.textContent = why.text;
    engine.dataset.state = why.state;
    packs.replaceChildren();
  }
  const notices = $('notices');
  notices.replaceChildren();
  if (st.kind === 'status') fillNotices(notices, st.status);
  const pol = await send({ kind: 'policy' });
  if (pol.kind === 'policy') {
    fillSettings($<HTMLTableSectionElement>('settings'), pol.settings);
    for (const p of pol.settings.problems) notices.append(li(t('policyProblem', [p]), 'error'));
    sitesButton($('sites'), pol.settings);
  }
}

let seq = 0;
async function check(): Promise<void> {
  const mine = ++seq;
  const body = $<HTMLTextAreaElement>('sample').value;
  const out = $('sample-findings');
  if (!body.trim()) { out.replaceChildren(); return; }
  const res = await send({ kind: 'scan', draft: { body } });
  if (mine !== seq) return;
  out.replaceChildren();
  if (res.kind !== 'scanResult') { out.append(li(t('couldNotCheck'), 'error')); return; }
  if (!res.findings.length) out.append(li(t('noFindings')));
  for (const f of res.findings) {
    const words = findingText(f);
    const el = li(`${t(`category_${f.category}`)} · ${t(`severity_${f.severity}`)}: “${f.text}” — `);
    const msg = document.createElement('span');
    msg.lang = words.lang;
    msg.textContent = words.message;
    el.append(msg);
    el.dataset.severity = f.severity;
    el.dataset.category = f.category;
    out.append(el);
  }
}

async function main(): Promise<void> {
  localisePage(document);
  $('sample').addEventListener('input', () => { void check(); });
  chrome.storage.onChanged.addListener(() => { void showStatus().then(check); });
  await showStatus();
}

void main();
