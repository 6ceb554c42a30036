/** Toolbar popup: engine and pack status, this page's findings, on/off for this site. */
import { findingText, localisePage, t } from './i18n';
import type { Finding } from './protocol';
import { send } from './protocol';
import { fillNotices, fillPacks, li, notReady, statusLine } from './settingsview';
import { readUrlPackStatus } from './store';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function main(): Promise<void> {
  localisePage(document);
  const [status, pol, urls] = await Promise.all([send({ kind: 'status' }), send({ kind: 'policy' }), readUrlPackStatus()]);
  const engine = $('engine');
  if (status.kind === 'status' && status.status.ok) {
    const s = status.status;
    const mine = pol.kind === 'policy' ? pol.settings.packUrls.map((u) => u.url) : [];
    const line = statusLine(s, Object.fromEntries(Object.entries(urls).filter(([u]) => mine.includes(u))));
    engine.textContent = line.text;
    engine.dataset.state = 'ok';
    engine.dataset.lists = line.state;
    fillPacks($('packs'), s);
  } else {
    const why = notReady(status);
    engine.textContent = why.text;
    engine.dataset.state = why.state;
  }
  if (status.kind === 'status') fillNotices($('packs'), status.status);
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
        const said = findingText({ ...f, rule: f.rule ?? '', advice: '', clause: '' } as Finding);
        const msg = document.createElement('span');
        msg.lang = said.lang;
        msg.textContent = said.message;
        li.append(cat, `“${f.text}” — `, msg);
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
    // The name and the switch show together: a name beside a switch not yet set would
    // read as "not checked" for a moment.
    const st = await send({ kind: 'siteState', host });
    $('site-name').textContent = host;
    toggle.checked = st.kind === 'siteState' ? st.enabled : true;
    if (st.kind === 'siteState' && st.locked) {
      // What the organisation set stays as it set it: the switch is shown, and says so in words.
      toggle.disabled = true;
      const why = $('site-why');
      why.textContent = t(st.enabled ? 'siteLockedOn' : 'siteLockedOff');
      why.hidden = false;
      toggle.setAttribute('aria-describedby', 'site-why');
    }
    toggle.addEventListener('change', () => {
      void send({ kind: 'setSiteEnabled', host, enabled: toggle.checked }).then((res) => {
        if (res.kind === 'error') toggle.checked = !toggle.checked;
      });
    });
  } else {
    toggle.disabled = true;
    $('site-name').textContent = t('siteUnsupported');
  }
  $('open-options').addEventListener('click', () => { void chrome.runtime.openOptionsPage(); });
  $('open-selftest').addEventListener('click', () => { void chrome.tabs.create({ url: chrome.runtime.getURL('selftest.html') }); });
}

void main();
