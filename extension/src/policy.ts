/**
 * The trust's managed policy (chrome.storage.managed, from Chrome/Edge policy or
 * Firefox's policies.json) read into settings with their defaults, and who set each.
 * Pure functions: used by the background, and the pages that show the settings.
 *
 * Layers (docs/admin.md): a value the organisation set wins and is locked; otherwise
 * the built-in default. Teachers have their own layer only for what the policy lets
 * them change (own terms and allow list, imported packs, the per-site switch).
 */

import { TEST_BUILD } from './build';

export interface PackUrl { url: string; sha256: string }

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether a pack URL may be downloaded at all: https://, or http:// to this machine when `httpLoopback` (the test build). */
export function downloadable(url: string, httpLoopback: boolean): boolean {
  let u: URL;
  try { u = new URL(url); } catch { return false; }
  return u.protocol === 'https:' || (httpLoopback && u.protocol === 'http:' && LOOPBACK.has(u.hostname));
}

/** The host (with its port, if any) of a URL, lower case; '' when it is not a URL. */
export function hostOf(url: string): string {
  try { return new URL(url).host.toLowerCase(); } catch { return ''; }
}

export interface WorkingHours {
  /** ISO weekdays, Monday = 1 … Sunday = 7. */
  days: number[];
  /** Minutes after midnight, local time. An end before the start spans midnight. */
  start: number;
  end: number;
  message: string;
}

export interface Policy {
  /** Inline packs as JSON documents (objects from `packs`, then strings from `packsJson`). */
  inline: string[];
  packUrls: PackUrl[];
  builtinChecks: 'add' | 'replace';
  overrideAllowed: boolean;
  overrideReasonRequired: boolean;
  userTermsAllowed: boolean;
  sitesAdd: string[];
  sitesRemove: string[];
  workingHours: WorkingHours | null;
  orgName: string | null;
  policyUrl: string | null;
  /** The connection checks' settings (contact.ts; docs/admin.md "Contact with pupils"). */
  contact: ContactPolicy;
}

/**
 * The connection checks' settings: friend requests, follows and messages (seed 000 §6,
 * seed 001, seed 002 3.1.2-3.1.3), LinkedIn references (seed 001) and wiki edits at work
 * (seeds 000, 001).
 */
export interface ContactPolicy {
  /** `connectionChecks`: check connections and conversations at all (default on). */
  enabled: boolean;
  /** `connectionFamilyAllowed`: offer "This is a family member" to go on (default on). */
  familyAllowed: boolean;
  /** `referenceReminder`: remind of the references clause before a recommendation is sent (default on). */
  referenceReminder: boolean;
  /** `wikiReminder`: remind before a wiki edit is published during `workingHours` (default on). */
  wikiReminder: boolean;
  /** `schoolEmailDomains`: domains of the trust's email addresses (lower case, no leading `@`/`*.`), beyond `*.sch.uk` and the packs' schools. */
  schoolEmailDomains: string[];
  /** `contactsPacksJson`: the parents-and-carers packs as JSON documents (contact-engine.ts builds them). */
  contactsPacks: string[];
}

/** The policy keys (as an admin writes them) that a settings view lists. */
export const POLICY_KEYS = [
  'packs', 'packsJson', 'packUrls', 'builtinChecks', 'overrideAllowed', 'overrideReasonRequired',
  'userTermsAllowed', 'sites', 'workingHours', 'orgName', 'policyUrl',
  'connectionChecks', 'connectionFamilyAllowed', 'referenceReminder', 'wikiReminder', 'schoolEmailDomains', 'contactsPacksJson',
] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];

export const DEFAULT_POLICY: Policy = {
  inline: [], packUrls: [], builtinChecks: 'add', overrideAllowed: true, overrideReasonRequired: false,
  userTermsAllowed: true, sitesAdd: [], sitesRemove: [], workingHours: null, orgName: null, policyUrl: null,
  contact: { enabled: true, familyAllowed: true, referenceReminder: true, wikiReminder: true, schoolEmailDomains: [], contactsPacks: [] },
};

export interface ReadPolicy {
  policy: Policy;
  /** Keys the organisation set (present and valid). */
  set: PolicyKey[];
  /** Values present but unusable, named by key, for the admin (no draft text). */
  problems: string[];
}

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function strings(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string').map((s) => s.trim()).filter(Boolean) : [];
}

/** "HH:MM" → minutes after midnight, or null. */
export function clock(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(s.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

function day(d: unknown): number | null {
  if (typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= 7) return d;
  if (typeof d !== 'string') return null;
  const s = d.trim().toLowerCase();
  if (/^[1-7]$/.test(s)) return Number(s);
  const i = DAY_NAMES.indexOf(s.slice(0, 3));
  return i >= 0 && (s.length === 3 || DAY_NAMES[i] === s.slice(0, 3)) ? i + 1 : null;
}

/** Read a managed-storage object into a policy. Unknown keys are ignored; bad values are reported and left at their default. */
export function readPolicy(raw: Record<string, unknown> | null | undefined): ReadPolicy {
  const r = raw && typeof raw === 'object' ? raw : {};
  const policy: Policy = {
    ...DEFAULT_POLICY, inline: [], packUrls: [], sitesAdd: [], sitesRemove: [],
    contact: { ...DEFAULT_POLICY.contact, schoolEmailDomains: [], contactsPacks: [] },
  };
  const set: PolicyKey[] = [];
  const problems: string[] = [];
  const has = (k: PolicyKey) => r[k] !== undefined && r[k] !== null;
  const bool = (k: 'overrideAllowed' | 'overrideReasonRequired' | 'userTermsAllowed') => {
    if (!has(k)) return;
    if (typeof r[k] === 'boolean') { policy[k] = r[k] as boolean; set.push(k); } else problems.push(`${k}: expected true or false`);
  };

  if (has('packs')) {
    if (Array.isArray(r.packs)) {
      r.packs.forEach((p, i) => {
        // Objects are packs; a string here is accepted too (Firefox does not apply the schema).
        if (p && typeof p === 'object') policy.inline.push(JSON.stringify(p));
        else if (typeof p === 'string') policy.inline.push(p);
        else problems.push(`packs[${i}]: expected a pack object`);
      });
      set.push('packs');
    } else problems.push('packs: expected a list of packs');
  }
  if (has('packsJson')) {
    if (Array.isArray(r.packsJson)) {
      r.packsJson.forEach((p, i) => {
        if (typeof p === 'string') policy.inline.push(p);
        else if (p && typeof p === 'object') policy.inline.push(JSON.stringify(p));
        else problems.push(`packsJson[${i}]: expected a JSON string`);
      });
      set.push('packsJson');
    } else problems.push('packsJson: expected a list of JSON strings');
  }
  if (has('packUrls')) {
    if (Array.isArray(r.packUrls)) {
      r.packUrls.forEach((p, i) => {
        const o = (p ?? {}) as Record<string, unknown>;
        const url = typeof o.url === 'string' ? o.url.trim() : '';
        const sha = typeof o.sha256 === 'string' ? o.sha256.trim().toLowerCase() : '';
        if (!downloadable(url, TEST_BUILD)) problems.push(`packUrls[${i}]: the address must be https://`);
        else if (!/^[0-9a-f]{64}$/.test(sha)) problems.push(`packUrls[${i}]: sha256 must be 64 hexadecimal digits`);
        else policy.packUrls.push({ url, sha256: sha });
      });
      set.push('packUrls');
    } else problems.push('packUrls: expected a list of {url, sha256}');
  }
  if (has('builtinChecks')) {
    if (r.builtinChecks === 'add' || r.builtinChecks === 'replace') { policy.builtinChecks = r.builtinChecks; set.push('builtinChecks'); }
    else problems.push('builtinChecks: expected "add" or "replace"');
  }
  bool('overrideAllowed');
  bool('overrideReasonRequired');
  bool('userTermsAllowed');
  if (has('sites')) {
    const s = r.sites as Record<string, unknown>;
    if (s && typeof s === 'object') {
      policy.sitesAdd = strings(s.add);
      policy.sitesRemove = strings(s.remove);
      set.push('sites');
    } else problems.push('sites: expected {add, remove}');
  }
  if (has('workingHours')) {
    const w = (r.workingHours ?? {}) as Record<string, unknown>;
    const days = Array.isArray(w.days) ? w.days.map(day) : [];
    const start = clock(w.start), end = clock(w.end);
    if (!days.length || days.includes(null)) problems.push('workingHours.days: expected days 1-7 or "Mon".."Sun"');
    else if (start === null || end === null || start === end) problems.push('workingHours: start and end must be different "HH:MM" times');
    else {
      policy.workingHours = {
        days: [...new Set(days as number[])].sort(), start, end,
        message: typeof w.message === 'string' ? w.message.trim() : '',
      };
      set.push('workingHours');
    }
  }
  if (has('orgName')) {
    if (typeof r.orgName === 'string' && r.orgName.trim()) { policy.orgName = r.orgName.trim(); set.push('orgName'); }
    else problems.push('orgName: expected text');
  }
  if (has('policyUrl')) {
    let ok = false;
    try { ok = typeof r.policyUrl === 'string' && ['https:', 'http:'].includes(new URL(r.policyUrl).protocol); } catch { ok = false; }
    if (ok) { policy.policyUrl = (r.policyUrl as string).trim(); set.push('policyUrl'); }
    else problems.push('policyUrl: expected an https:// address');
  }
  const contactBool = (k: 'connectionChecks' | 'connectionFamilyAllowed' | 'referenceReminder' | 'wikiReminder', field: 'enabled' | 'familyAllowed' | 'referenceReminder' | 'wikiReminder') => {
    if (!has(k)) return;
    if (typeof r[k] === 'boolean') { policy.contact[field] = r[k] as boolean; set.push(k); } else problems.push(`${k}: expected true or false`);
  };
  contactBool('connectionChecks', 'enabled');
  contactBool('connectionFamilyAllowed', 'familyAllowed');
  contactBool('referenceReminder', 'referenceReminder');
  contactBool('wikiReminder', 'wikiReminder');
  if (has('schoolEmailDomains')) {
    if (Array.isArray(r.schoolEmailDomains)) {
      policy.contact.schoolEmailDomains = strings(r.schoolEmailDomains).map((d) => d.toLowerCase().replace(/^[@*.]+/, '')).filter(Boolean);
      set.push('schoolEmailDomains');
    } else problems.push('schoolEmailDomains: expected a list of domains');
  }
  if (has('contactsPacksJson')) {
    if (Array.isArray(r.contactsPacksJson)) {
      r.contactsPacksJson.forEach((p, i) => {
        if (typeof p === 'string') { if (p.trim()) policy.contact.contactsPacks.push(p); }
        else if (p && typeof p === 'object') policy.contact.contactsPacks.push(JSON.stringify(p));
        else problems.push(`contactsPacksJson[${i}]: expected a JSON string`);
      });
      set.push('contactsPacksJson');
    } else problems.push('contactsPacksJson: expected a list of JSON strings');
  }
  return { policy, set, problems };
}

/** The managed-storage keys the connection checks of a content script read (contact.ts). */
export const CONTACT_KEYS: PolicyKey[] = ['connectionChecks', 'connectionFamilyAllowed', 'referenceReminder', 'wikiReminder', 'schoolEmailDomains', 'workingHours', 'orgName', 'policyUrl'];

/** What the connection checks need of the policy: their own settings, the working hours, and the trust's name and policy address. */
export type ContactSettings = Omit<ContactPolicy, 'contactsPacks'> & Pick<Policy, 'workingHours' | 'orgName' | 'policyUrl'>;

/** The connection checks' settings from a managed-storage object (`readPolicy`: a value of the wrong type keeps its default). */
export function contactSettings(raw: Record<string, unknown> | null | undefined): ContactSettings {
  const { policy } = readPolicy(raw);
  const { contactsPacks: _packs, ...c } = policy.contact;
  return { ...c, workingHours: policy.workingHours, orgName: policy.orgName, policyUrl: policy.policyUrl };
}

/** Whether `now` (local time) falls in the working-hours window. */
export function inWorkingHours(w: WorkingHours | null, now: Date = new Date()): boolean {
  if (!w) return false;
  const mins = now.getHours() * 60 + now.getMinutes();
  const today = ((now.getDay() + 6) % 7) + 1;
  if (w.start < w.end) return w.days.includes(today) && mins >= w.start && mins < w.end;
  // Over midnight: the evening part belongs to the listed day, the early part to the day before.
  const yesterday = today === 1 ? 7 : today - 1;
  return (w.days.includes(today) && mins >= w.start) || (w.days.includes(yesterday) && mins < w.end);
}

/** A policy `sites` entry (host name or match pattern) → a match pattern. */
export function sitePattern(entry: string): string | null {
  const e = entry.trim();
  if (/^(https?|\*):\/\/(\*|(\*\.)?[a-z0-9.-]+)(:\d+)?\/.*$/i.test(e)) return e;
  if (/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/i.test(e)) return `https://${e}/*`;
  return null;
}

/** Whether a host name is covered by a policy `sites` entry (host name, *.host, or match pattern). */
export function hostMatches(host: string, entry: string): boolean {
  const h = host.toLowerCase();
  let pat = entry.trim().toLowerCase();
  const m = /^(?:https?|\*):\/\/([^/]+)\//.exec(pat);
  if (m) pat = m[1]!.replace(/:\d+$/, '');
  if (pat === '*') return true;
  if (pat.startsWith('*.')) return h === pat.slice(2) || h.endsWith(pat.slice(1));
  return h === pat;
}

/**
 * Whether Postsafe checks drafts on `host`: off when the policy removes the site,
 * on when the policy adds it (both locked: the teacher cannot switch what the
 * organisation set), otherwise off only where the teacher switched it off.
 * One rule for the background, the popup, the options page and the content
 * script's first moment.
 */
export function siteState(policy: Policy, disabledSites: string[], host: string): { enabled: boolean; locked: boolean } {
  if (policy.sitesRemove.some((e) => hostMatches(host, e))) return { enabled: false, locked: true };
  if (policy.sitesAdd.some((e) => hostMatches(host, e))) return { enabled: true, locked: true };
  return { enabled: !disabledSites.includes(host), locked: false };
}
