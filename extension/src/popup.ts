/** Toolbar popup: engine and pack status, this page's findings, on/off for this site. */
import { localisePage, t } from './i18n';
import { send } from './protocol';
import { fillNotices, fillPacks, li, notReady } from './settingsview';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function main(): Promise<void> {
  localisePage(document);
  const status = await send({ kind: 'status' });
  const engine = $('engine');
  if (status.kind === 'status' && status.status.ok) {
    const s = status.status;
    engine.textContent = t('engineReady', [s.version ?? '?']);
    engine.dataset.state = 'ok';
    fillPacks($('packs'), s);
  } else {
    const why = notReady(status);
    engine.textContent = why.text;
    engine.dataset.state = why.state;
  }
  if (status.kind === 'status') fillNotices($('packs'), status.status);
  const pol = await send({ kind: 'policy' });
  if (pol.kind === 'policy') for (const p of pol.settings.problems) $('packs').append(li(t('policyProblem', [p]), 'error'));

  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  const findingsEl = $('findings');
  const toggle = $<HTMLInputElement>('site-enabled');
  if (tab?.id !== undefined) {
    const res = await send({ kind: 'pageFindings', tabId: tab.id });
    if (res.kind === 'pageFindings') {
      if (res.failed) {
        const li = document.createElement('li');
        li.className = 'error';
        li.textContent = t('couldNotCheck');
        findingsEl.append(li);
      }
      for (const f of res.findings) {
        const li = document.createElement('li');
        li.dataset.severity = f.severity;
        const cat = document.createElement('strong');
        cat.textContent = `${t(`category_${f.category}`)}: `;
        li.append(cat, `“${f.text}” — ${f.message}`);
        findingsEl.append(li);
      }
      if (!res.failed && res.findings.length === 0) findingsEl.append(Object.assign(document.createElement('li'), { textContent: t('noFindings') }));
    }
  }
  let host = '';
  try {
    const u = tab?.url ? new URL(tab.url) : null;
    host = u && (u.protocol === 'https:' || u.protocol === 'http:') ? u.hostname : '';
  } catch { host = ''; }
  if (host) {
    $('site-name').textContent = host;
    const st = await send({ kind: 'siteState', host });
    toggle.checked = st.kind === 'siteState' ? st.enabled : true;
    if (st.kind === 'siteState' && st.locked) { toggle.disabled = true; $('site-name').textContent = `${host} (${t('setByOrganisation')})`; }
    toggle.addEventListener('change', () => { void send({ kind: 'setSiteEnabled', host, enabled: toggle.checked }); });
  } else {
    toggle.disabled = true;
    $('site-name').textContent = t('siteUnsupported');
  }
  $('open-options').addEventListener('click', () => { void chrome.runtime.openOptionsPage(); });
  $('open-selftest').addEventListener('click', () => { void chrome.tabs.create({ url: chrome.runtime.getURL('selftest.html') }); });
}

void main();
