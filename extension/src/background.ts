/**
 * Background service worker (Chrome/Edge) or background script (Firefox).
 * Answers the typed protocol in protocol.ts; keeps per-tab finding summaries in
 * memory only, for the toolbar badge and the popup. Applies the managed policy
 * (docs/admin.md): packs, pack URLs (the only network requests the extension
 * makes), added and removed sites, and the settings the pages and composers use.
 */
import * as engine from './engine';
import type { FindingSummary, PortRequest, PortResponse, Request, Response, SettingSource, SettingsInForce, UserSettings } from './protocol';
import { OVERRIDE_REASONS, SCAN_PORT, STORAGE } from './protocol';
import { POLICY_KEYS, hostMatches, sitePattern } from './policy';
import { readLocal, type UrlPackCache } from './store';

interface FrameReport { findings: FindingSummary[]; failed: boolean }
const tabs = new Map<number, Map<number, FrameReport>>();

function updateBadge(tabId: number): void {
  const frames = tabs.get(tabId);
  let count = 0;
  let failed = false;
  let holds = false;
  for (const r of frames?.values() ?? []) {
    count += r.findings.length;
    failed ||= r.failed;
    holds ||= r.findings.some((f) => f.severity !== 'info');
  }
  const text = failed ? '!' : count > 0 ? String(count) : '';
  chrome.action.setBadgeText({ tabId, text }).catch(() => {});
  chrome.action.setBadgeBackgroundColor({ tabId, color: failed || holds ? '#b3261e' : '#3b5bdb' }).catch(() => {});
}

function cleanList(xs: unknown): string[] {
  if (!Array.isArray(xs)) return [];
  return [...new Set(xs.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter(Boolean))];
}

// ---------- pack URLs ----------

const MAX_PACK_BYTES = 16 * 1024 * 1024;
const DAY_MINUTES = 24 * 60;

async function sha256hex(bytes: ArrayBuffer): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

let refreshing: Promise<void> | null = null;

/**
 * Download the policy's pack URLs. `all`: every URL (the daily refresh); otherwise
 * only those with no good copy for their current hash. A download that fails, or whose
 * SHA-256 differs, or that does not load, keeps the last good copy and records why.
 */
function refreshPackUrls(all: boolean): Promise<void> {
  const run = async () => {
    const { policy } = await engine.managedPolicy();
    const local = await readLocal();
    const cache: Record<string, UrlPackCache> = {};
    let failed = false;
    for (const u of policy.packUrls) {
      const c = local.urlPacks[u.url];
      if (!all && c?.doc && c.sha256 === u.sha256 && !c.error) { cache[u.url] = c; continue; }
      const now = Date.now();
      try {
        // No cookies, no referrer: a plain GET of a file. CORS applies (docs/admin.md).
        const res = await fetch(u.url, { cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer', redirect: 'follow' });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const bytes = await res.arrayBuffer();
        if (bytes.byteLength > MAX_PACK_BYTES) throw new Error(`${bytes.byteLength} bytes, over the limit`);
        const hex = await sha256hex(bytes);
        if (hex !== u.sha256) throw new Error(chrome.i18n.getMessage('hashMismatch', [hex, u.sha256]) || `SHA-256 ${hex} does not match ${u.sha256}`);
        const doc = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        const err = await engine.checkPack(doc);
        if (err) throw new Error(err);
        cache[u.url] = { sha256: u.sha256, doc, fetchedAt: now, error: null, attemptAt: now };
      } catch (e) {
        failed = true;
        const why = e instanceof Error ? e.message : String(e);
        cache[u.url] = { sha256: c?.sha256 ?? u.sha256, doc: c?.doc ?? null, fetchedAt: c?.fetchedAt ?? null, error: why, attemptAt: now };
      }
    }
    await chrome.storage.local.set({ [STORAGE.urlPacks]: cache });
    // A failed download is tried again within the hour, not only tomorrow.
    if (failed) chrome.alarms.create('packs-retry', { delayInMinutes: 30 });
  };
  const p = (refreshing ?? Promise.resolve()).then(run, run);
  refreshing = p.finally(() => { if (refreshing === p) refreshing = null; });
  return p;
}

// ---------- sites ----------

const ADDED_SCRIPT = 'postsafe-added-sites';

/** Sites the policy adds, as match patterns. */
async function addedPatterns(): Promise<string[]> {
  const { policy } = await engine.managedPolicy();
  return [...new Set(policy.sitesAdd.map(sitePattern).filter((p): p is string => !!p))];
}

async function grantedPatterns(patterns: string[]): Promise<{ granted: string[]; pending: string[] }> {
  const granted: string[] = [];
  const pending: string[] = [];
  for (const p of patterns) {
    let ok = false;
    try { ok = await chrome.permissions.contains({ origins: [p] }); } catch { ok = false; }
    (ok ? granted : pending).push(p);
  }
  return { granted, pending };
}

/** The content script on the sites the policy adds and the teacher allowed (a permission prompt). */
async function registerAddedSites(): Promise<void> {
  if (!chrome.scripting?.registerContentScripts) return;
  const { granted } = await grantedPatterns(await addedPatterns());
  try { await chrome.scripting.unregisterContentScripts({ ids: [ADDED_SCRIPT] }); } catch { /* none yet */ }
  if (!granted.length) return;
  await chrome.scripting.registerContentScripts([{
    id: ADDED_SCRIPT, matches: granted, js: ['content.js'], runAt: 'document_start', allFrames: true, persistAcrossSessions: true,
  }]).catch(() => {});
}

// ---------- settings in force ----------

async function settingsInForce(): Promise<SettingsInForce> {
  const { policy, set, problems } = await engine.managedPolicy();
  const local = await readLocal();
  const sources: Record<string, SettingSource> = {};
  for (const k of POLICY_KEYS) sources[k] = set.includes(k) ? 'organisation' : 'default';
  if (policy.userTermsAllowed && (local.settings.terms.length || local.settings.allow.length || local.packs.length)) sources.ownTerms = 'you';
  else sources.ownTerms = policy.userTermsAllowed ? 'default' : 'organisation';
  sources.disabledSites = local.disabledSites.length ? 'you' : 'default';
  const { pending } = await grantedPatterns(await addedPatterns());
  return {
    overrideAllowed: policy.overrideAllowed,
    overrideReasonRequired: policy.overrideReasonRequired,
    userTermsAllowed: policy.userTermsAllowed,
    builtinChecks: policy.builtinChecks,
    workingHours: policy.workingHours,
    orgName: policy.orgName,
    policyUrl: policy.policyUrl,
    sitesAdd: policy.sitesAdd,
    sitesRemove: policy.sitesRemove,
    sitesPending: pending,
    packUrls: policy.packUrls,
    sources,
    problems,
  };
}

// ---------- requests ----------

/** Requests that change or reveal the teacher's settings: only from the extension's own pages, never a content script. */
const PAGES_ONLY = new Set<Request['kind']>(['getSettings', 'saveSettings', 'importPack', 'removePack', 'exportSettings', 'setSiteEnabled', 'pageFindings']);

function fromExtensionPage(sender: chrome.runtime.MessageSender): boolean {
  const base = chrome.runtime.getURL('');
  return typeof sender.url === 'string' && sender.url.startsWith(base) && (sender.origin === undefined || `${sender.origin}/` === base);
}

async function locked(): Promise<boolean> {
  return !(await engine.managedPolicy()).policy.userTermsAllowed;
}

async function handle(req: Request, sender: chrome.runtime.MessageSender): Promise<Response> {
  if (PAGES_ONLY.has(req.kind) && !fromExtensionPage(sender)) return { kind: 'error', message: 'not allowed from a web page' };
  switch (req.kind) {
    case 'scan':
      return { kind: 'scanResult', findings: await engine.scan(req.draft) };
    case 'status':
      return { kind: 'status', status: await engine.status() };
    case 'policy':
      return { kind: 'policy', settings: await settingsInForce() };
    case 'report': {
      const tabId = sender.tab?.id;
      if (tabId === undefined) return { kind: 'ok' };
      let frames = tabs.get(tabId);
      if (!frames) tabs.set(tabId, (frames = new Map()));
      frames.set(sender.frameId ?? 0, { findings: req.findings, failed: req.failed });
      updateBadge(tabId);
      return { kind: 'ok' };
    }
    case 'pageFindings': {
      const frames = [...(tabs.get(req.tabId)?.values() ?? [])];
      return { kind: 'pageFindings', findings: frames.flatMap((f) => f.findings), failed: frames.some((f) => f.failed) };
    }
    case 'siteState': {
      const { policy } = await engine.managedPolicy();
      if (policy.sitesRemove.some((e) => hostMatches(req.host, e))) return { kind: 'siteState', enabled: false, locked: true };
      const local = await readLocal();
      return { kind: 'siteState', enabled: !local.disabledSites.includes(req.host), locked: false };
    }
    case 'setSiteEnabled': {
      const local = await readLocal();
      const off = new Set(local.disabledSites);
      if (req.enabled) off.delete(req.host); else off.add(req.host);
      await chrome.storage.local.set({ [STORAGE.disabledSites]: [...off] });
      return { kind: 'ok' };
    }
    case 'getSettings': {
      const local = await readLocal();
      return {
        kind: 'settings', settings: local.settings, packs: local.packs, overrides: local.overrides,
        overrideReasons: local.overrideReasons, locked: await locked(),
      };
    }
    case 'saveSettings': {
      if (await locked()) return { kind: 'error', message: chrome.i18n.getMessage('setByOrganisation') || 'set by your organisation' };
      const s: UserSettings = { terms: cleanList(req.settings.terms), allow: cleanList(req.settings.allow) };
      const doc = engine.teacherPack(s);
      if (doc) {
        const err = await engine.checkPack(doc);
        if (err) return { kind: 'error', message: err };
      }
      await chrome.storage.local.set({ [STORAGE.settings]: s });
      engine.invalidate(); // before answering: the caller's next status sees the new packs
      return { kind: 'ok' };
    }
    case 'importPack': {
      if (await locked()) return { kind: 'error', message: chrome.i18n.getMessage('setByOrganisation') || 'set by your organisation' };
      let parsed: unknown;
      try { parsed = JSON.parse(req.json); } catch (e) { return { kind: 'error', message: String(e) }; }
      const obj = parsed as Record<string, unknown>;
      if (obj && typeof obj === 'object' && 'format' in obj) {
        const err = await engine.checkPack(req.json);
        if (err) return { kind: 'error', message: err };
        const local = await readLocal();
        const packs = local.packs.filter((p) => {
          try { return (JSON.parse(p) as { id?: unknown }).id !== obj.id; } catch { return false; }
        });
        await chrome.storage.local.set({ [STORAGE.packs]: [...packs, req.json] });
        engine.invalidate();
        return { kind: 'ok' };
      }
      // Otherwise an export of the teacher's own settings: {terms, allow}.
      const s: UserSettings = { terms: cleanList(obj?.terms), allow: cleanList(obj?.allow) };
      await chrome.storage.local.set({ [STORAGE.settings]: s });
      engine.invalidate();
      return { kind: 'ok' };
    }
    case 'removePack': {
      const local = await readLocal();
      const packs = [...local.packs];
      packs.splice(req.index, 1);
      await chrome.storage.local.set({ [STORAGE.packs]: packs });
      engine.invalidate();
      return { kind: 'ok' };
    }
    case 'exportSettings': {
      const local = await readLocal();
      return { kind: 'exported', json: JSON.stringify({ postsafe: 1, terms: local.settings.terms, allow: local.settings.allow }, null, 2) };
    }
    case 'override': {
      // Counts only: never what was posted, nor where, nor free text.
      const { policy } = await engine.managedPolicy();
      if (!policy.overrideAllowed) return { kind: 'error', message: 'not allowed by your organisation' };
      const local = await readLocal();
      const set: Record<string, unknown> = { [STORAGE.overrides]: local.overrides + 1 };
      if (req.reason && (OVERRIDE_REASONS as readonly string[]).includes(req.reason)) {
        set[STORAGE.overrideReasons] = { ...local.overrideReasons, [req.reason]: (local.overrideReasons[req.reason] ?? 0) + 1 };
      }
      await chrome.storage.local.set(set);
      return { kind: 'ok' };
    }
  }
  return { kind: 'error', message: 'unknown request' };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

chrome.runtime.onMessage.addListener((msg: unknown, sender, sendResponse) => {
  // Only this extension's own pages and content scripts may talk to the engine.
  if (sender.id !== chrome.runtime.id) return false;
  if (!msg || typeof msg !== 'object' || typeof (msg as { kind?: unknown }).kind !== 'string') return false;
  handle(msg as Request, sender).then(sendResponse, (e: unknown) => sendResponse({ kind: 'error', message: errorText(e) } satisfies Response));
  return true;
});

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== SCAN_PORT || port.sender?.id !== chrome.runtime.id) { port.disconnect(); return; }
  // Newest scan request per composer ("lane"): a queued scan for text that has
  // since changed is answered 'superseded' instead of being run.
  const newest = new Map<number, number>();
  port.onMessage.addListener((msg: PortRequest) => {
    if (!msg || typeof msg.id !== 'number' || !msg.req || typeof msg.req.kind !== 'string') return;
    const reply = (res: Response) => { try { port.postMessage({ id: msg.id, res } satisfies PortResponse); } catch { /* page gone */ } };
    const run = () => handle(msg.req, port.sender!).then(reply, (e: unknown) => reply({ kind: 'error', message: errorText(e) }));
    const req = msg.req;
    if (req.kind !== 'scan' || req.lane === undefined) { void run(); return; }
    const lane = req.lane;
    newest.set(lane, msg.id);
    // Let messages already queued arrive first, then run only the newest.
    setTimeout(() => {
      if (newest.get(lane) !== msg.id) { reply({ kind: 'superseded' }); return; }
      void run();
    }, 0);
  });
});

const ENGINE_KEYS: string[] = [STORAGE.packs, STORAGE.settings, STORAGE.urlPacks, STORAGE.lastGood];
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'managed') {
    // The policy changed, or arrived late at start-up: apply it without a restart.
    engine.invalidate();
    void refreshPackUrls(false);
    void registerAddedSites();
    return;
  }
  if (area === 'local' && ENGINE_KEYS.some((k) => k in changes)) engine.invalidate();
});

chrome.permissions?.onAdded?.addListener(() => { void registerAddedSites(); });
chrome.permissions?.onRemoved?.addListener(() => { void registerAddedSites(); });

chrome.alarms.onAlarm.addListener((a) => {
  if (a.name === 'packs-daily' || a.name === 'packs-retry') void refreshPackUrls(a.name === 'packs-daily');
});

chrome.tabs.onRemoved.addListener((tabId) => { tabs.delete(tabId); });

// At start: the daily refresh, the sites the policy adds, and the engine, so the
// first keystroke is answered quickly.
void chrome.alarms.get('packs-daily').then((a) => { if (!a) chrome.alarms.create('packs-daily', { periodInMinutes: DAY_MINUTES, delayInMinutes: DAY_MINUTES }); });
void refreshPackUrls(false);
void registerAddedSites();
void engine.status();
