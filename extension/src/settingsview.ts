/** Shared by the popup, options and self-test pages: packs, problems and settings in force, as DOM (text only, never HTML). */
import { t, uiLang } from './i18n';
import type { EngineStatus, LoadedPack, ResponseOf, SettingsInForce } from './protocol';
import type { UrlPackCache } from './store';

export function li(text: string, cls?: string): HTMLLIElement {
  const el = document.createElement('li');
  el.textContent = text;
  if (cls) el.className = cls;
  return el;
}

/** What the pages say when the engine is not ready: waiting for the trust's settings, or why it failed. */
export function notReady(res: ResponseOf<'status'>): { text: string; state: 'pending' | 'failed' } {
  if (res.kind === 'status' && res.status.pending) return { text: t('waitingForPolicy'), state: 'pending' };
  return { text: t('engineFailed', [res.kind === 'status' ? res.status.error ?? '' : res.message]), state: 'failed' };
}

/** "3 days ago", "yesterday", "2 hours ago", in the interface language. */
export function ago(at: number, now = Date.now()): string {
  const rtf = new Intl.RelativeTimeFormat(uiLang(), { numeric: 'auto' });
  const mins = Math.round((now - at) / 60_000);
  if (mins < 1) return t('agoMoment');
  if (mins < 60) return rtf.format(-mins, 'minute');
  const hours = Math.round(mins / 60);
  return hours < 24 ? rtf.format(-hours, 'hour') : rtf.format(-Math.round(hours / 24), 'day');
}

/** A download error a teacher can read: the browser's "Failed to fetch" and the like become "could not reach the list server". */
export function plainError(message: string): string {
  return message.replace(/\b(TypeError: )?(Failed to fetch|NetworkError when attempting to fetch resource\.?|Load failed|net::ERR_[A-Z_]+)/g, t('listServerUnreachableShort'));
}

/**
 * The checker's state in the teacher's words: whether the trust's lists are up to
 * date, or which copy is in use and since when. `urls`: the status of each pack URL
 * (store.readUrlPackStatus). No version numbers, no browser error text.
 */
export function statusLine(s: EngineStatus, urls: Record<string, UrlPackCache>): { text: string; state: 'ok' | 'stale' } {
  const failing = Object.values(urls).filter((c) => c.error);
  if (failing.length) {
    const kept = failing.map((c) => c.fetchedAt).filter((x): x is number => typeof x === 'number');
    const unreachable = failing.some((c) => /fetch|network|timed out|timeout|reach|ERR_/i.test(c.error ?? ''));
    if (kept.length) return { text: t(unreachable ? 'listServerUnreachable' : 'listNotUsable', [ago(Math.min(...kept))]), state: 'stale' };
    return { text: t('listNotArrived'), state: 'stale' };
  }
  const trust = s.packs.some((p) => p.source === 'managed' || p.source === 'url');
  return { text: t(trust ? 'listUpToDate' : 'builtinReady'), state: 'ok' };
}

export function packLine(p: LoadedPack): string {
  const base = p.expires ? t('packLineExpires', [p.name, p.version, p.expires]) : t('packLine', [p.name, p.version]);
  const from = t(`source_${p.source}`);
  return p.expired ? `${base} · ${from} · ${t('packExpiredSince', [p.expires ?? ''])}` : `${base} · ${from}`;
}

/** Packs in force, then what went wrong (the admin's messages), then settings notices. */
export function fillPacks(list: HTMLElement, s: EngineStatus): void {
  list.replaceChildren();
  for (const p of s.packs) {
    const el = li(packLine(p), p.expired ? 'expired' : undefined);
    el.dataset.packId = p.id;
    el.dataset.source = p.source;
    if (p.expired) el.dataset.expired = p.expires ?? '';
    list.append(el);
  }
  for (const e of s.errors) {
    const el = li(t('packProblem', [t(`source_${e.source}`), plainError(e.message)]), 'error');
    el.dataset.problem = e.source;
    list.append(el);
  }
}

export function fillNotices(list: HTMLElement, s: EngineStatus): void {
  for (const key of s.notices) {
    const el = li(t('settingsReset', [key]), 'error');
    el.dataset.notice = key;
    list.append(el);
  }
}

function hours(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** One row per setting: name, value, who set it. */
export function settingRows(p: SettingsInForce): { key: string; value: string; source: string }[] {
  const yes = (b: boolean) => t(b ? 'yes' : 'no');
  const none = t('none');
  const wh = p.workingHours;
  const rows: [string, string, string][] = [
    ['overrideAllowed', yes(p.overrideAllowed), 'overrideAllowed'],
    ['overrideReasonRequired', yes(p.overrideReasonRequired), 'overrideReasonRequired'],
    ['userTermsAllowed', yes(p.userTermsAllowed), 'userTermsAllowed'],
    ['builtinChecks', t(`builtin_${p.builtinChecks}`), 'builtinChecks'],
    ['packUrls', p.packUrls.map((u) => u.url).join(', ') || none, 'packUrls'],
    ['sitesAdd', p.sitesAdd.join(', ') || none, 'sites'],
    ['sitesRemove', p.sitesRemove.join(', ') || none, 'sites'],
    ['workingHours', wh ? `${wh.days.map((d) => t(`day_${d}`)).join(' ')} ${hours(wh.start)}–${hours(wh.end)}${wh.message ? ` “${wh.message}”` : ''}` : t('off'), 'workingHours'],
    ['orgName', p.orgName ?? none, 'orgName'],
    ['policyUrl', p.policyUrl ?? none, 'policyUrl'],
    ['ownTerms', yes(p.userTermsAllowed), 'ownTerms'],
    ['connectionChecks', yes(p.contact.enabled), 'connectionChecks'],
    ['connectionFamilyAllowed', yes(p.contact.familyAllowed), 'connectionFamilyAllowed'],
    ['referenceReminder', yes(p.contact.referenceReminder), 'referenceReminder'],
    ['wikiReminder', yes(p.contact.wikiReminder), 'wikiReminder'],
    ['schoolEmailDomains', p.contact.schoolEmailDomains.join(', ') || none, 'schoolEmailDomains'],
    ['contactsPacksJson', p.contact.contactsPacks ? t('contactsPacks', [String(p.contact.contactsPacks)]) : none, 'contactsPacksJson'],
  ];
  return rows.map(([key, value, src]) => ({ key, value, source: p.sources[src] ?? 'default' }));
}

export function fillSettings(table: HTMLTableSectionElement, p: SettingsInForce): void {
  table.replaceChildren();
  for (const r of settingRows(p)) {
    const tr = document.createElement('tr');
    tr.dataset.setting = r.key;
    tr.dataset.source = r.source;
    for (const text of [t(`setting_${r.key}`), r.value, t(`setBy_${r.source}`)]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    table.append(tr);
  }
}

/** Ask for the sites the organisation added (needs a click: a permission prompt). */
export function sitesButton(container: HTMLElement, p: SettingsInForce): void {
  container.replaceChildren();
  if (!p.sitesPending.length) return;
  const text = document.createElement('p');
  text.textContent = t('sitesPending', [p.sitesPending.join(', ')]);
  const b = document.createElement('button');
  b.type = 'button';
  b.id = 'allow-sites';
  b.textContent = t('allowSites');
  b.addEventListener('click', () => {
    void chrome.permissions.request({ origins: p.sitesPending }).then((ok) => { if (ok) container.replaceChildren(); });
  });
  container.append(text, b);
}
