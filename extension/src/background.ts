/**
 * Background service worker (Chrome/Edge) or background script (Firefox).
 * Answers the typed protocol in protocol.ts; keeps per-tab finding summaries in
 * memory only, for the toolbar badge and the popup. Applies the managed policy
 * (docs/admin.md): packs, pack URLs (the only network requests the extension
 * makes), added and removed sites, and the settings the pages and composers use.
 */
import * as engine from './engine';
import { checkContacts } from './contact-engine';
import { countFacesOnDevice } from './faces-host';
import type { FindingSummary, PortRequest, PortResponse, Request, Response, SettingSource, SettingsInForce, UserSettings } from './protocol';
import { fromBase64, MAX_PHOTO_BYTES, OVERRIDE_REASONS, PHOTO_PART_BYTES, PHOTO_UPLOAD_IDLE_MS, SCAN_PORT, STORAGE } from './protocol';
import { POLICY_KEYS, hostOf, sitePattern, siteState, type PackUrl } from './policy';
import { TEST_BUILD } from './build';
import { download } from './download';
import { readDisabledSites, readLocal, readUrlPackStatus, writeImportedPacks, writeUrlPacks, type UrlPackCache } from './store';

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

const DAY_MINUTES = 24 * 60;

async function sha256hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Downloads under way, by URL and hash: a refresh joins one, never queues behind it. */
const downloading = new Map<string, Promise<boolean>>();
/** Status writes, one at a time (each changes one URL's entry). */
let statusWrites: Promise<unknown> = Promise.resolve();

/** Records one URL's outcome (and its new document, if any), keeping only the policy's URLs. */
function record(url: string, entry: UrlPackCache, doc: string | null, urls: string[]): Promise<void> {
  const write = statusWrites.then(async () => {
    const status = Object.fromEntries(Object.entries(await readUrlPackStatus()).filter(([u]) => urls.includes(u)));
    status[url] = entry;
    await writeUrlPacks(status, doc === null ? {} : { [url]: doc });
  });
  statusWrites = write.catch(() => {});
  return write;
}

/**
 * Download one pack URL within the limits of download.ts, check its SHA-256 and that
 * it loads, and record the outcome. A failure keeps the last good copy and says why.
 * Resolves to whether it succeeded.
 */
async function fetchPack(u: PackUrl, hosts: string[], prev: UrlPackCache | undefined): Promise<boolean> {
  const now = Date.now();
  let doc: string | null = null;
  let error: string | null = null;
  try {
    const bytes = await download(u.url, { allowedHosts: hosts, httpLoopback: TEST_BUILD });
    const hex = await sha256hex(bytes);
    if (hex !== u.sha256) throw new Error(chrome.i18n.getMessage('hashMismatch', [hex, u.sha256]) || `SHA-256 ${hex} does not match ${u.sha256}`);
    doc = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const err = await engine.checkPack(doc);
    if (err) throw new Error(err);
  } catch (e) {
    doc = null;
    error = e instanceof Error ? e.message : String(e);
  }
  // The policy may have moved on while this ran: then its outcome is not recorded.
  const { policy } = await engine.managedPolicy();
  if (!policy.packUrls.some((x) => x.url === u.url && x.sha256 === u.sha256)) return true;
  const urls = policy.packUrls.map((x) => x.url);
  const entry: UrlPackCache = error === null
    ? { sha256: u.sha256, doc: null, fetchedAt: now, error: null, attemptAt: now }
    : { sha256: prev?.sha256 ?? u.sha256, doc: null, fetchedAt: prev?.fetchedAt ?? null, error, attemptAt: now };
  await record(u.url, entry, doc, urls);
  return error === null;
}

/**
 * Download the policy's pack URLs, each on its own (a hung or huge one delays no
 * other). `all`: every URL (the daily refresh); otherwise only those with no good copy
 * for their current hash. A download that fails, or whose SHA-256 differs, or that does
 * not load, keeps the last good copy and records why.
 */
async function refreshPackUrls(all: boolean): Promise<void> {
  const { policy } = await engine.managedPolicy();
  const local = await readLocal();
  const hosts = [...new Set(policy.packUrls.map((u) => hostOf(u.url)))];
  const tasks = policy.packUrls.map((u) => {
    const c = local.urlPacks[u.url];
    if (!all && c?.doc && c.sha256 === u.sha256 && !c.error) return Promise.resolve(true);
    const key = `${u.sha256} ${u.url}`;
    let task = downloading.get(key);
    if (!task) {
      task = fetchPack(u, hosts, c).finally(() => downloading.delete(key));
      downloading.set(key, task);
    }
    return task;
  });
  const ok = await Promise.all(tasks);
  // A failed download is tried again within the hour, not only tomorrow.
  if (ok.includes(false)) chrome.alarms.create('packs-retry', { delayInMinutes: 30 });
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
    contact: { ...policy.contact, contactsPacks: policy.contact.contactsPacks.length },
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

/**
 * Whether a message or port comes from this extension: one of its own pages, or its
 * content script in a tab on a web page it runs on (https://, about:blank frames of
 * those pages, and http:// on this machine in the test build only). The manifest has
 * no `externally_connectable`, so web pages and other extensions cannot reach the
 * background at all; this refuses anything else that might.
 */
function trustedSender(sender: chrome.runtime.MessageSender | undefined): sender is chrome.runtime.MessageSender {
  if (!sender || sender.id !== chrome.runtime.id) return false;
  if (fromExtensionPage(sender)) return true;
  if (sender.tab?.id === undefined || typeof sender.url !== 'string') return false;
  let u: URL;
  try { u = new URL(sender.url); } catch { return false; }
  return u.protocol === 'https:' || u.protocol === 'about:' || (TEST_BUILD && loopbackHttp(u));
}

/** http:// on this machine: the fixture pages of the test build. */
function loopbackHttp(u: URL): boolean {
  return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
}

async function locked(): Promise<boolean> {
  return !(await engine.managedPolicy()).policy.userTermsAllowed;
}

// ---------- attached photos on their way in ----------

/**
 * A photo's bytes arriving in parts (`photoPart`, at most PHOTO_PART_BYTES each: one
 * message in Chromium is JSON and at most 64 MB, so a 50 MB photo cannot come in one).
 * Bounded: one upload a tab (a new one drops the one before), at most MAX_PHOTO_BYTES,
 * dropped when the tab closes or no part has come for PHOTO_UPLOAD_IDLE_MS, and
 * handed over (and forgotten here) by `checkPhoto`.
 */
interface Upload { id: string; bytes: Uint8Array<ArrayBuffer>; received: number; timer: ReturnType<typeof setTimeout> }
const uploads = new Map<string, Upload>();

/** Whose upload a message is part of: its tab (-1 for an extension page) and frame, `"tab:frame"` (content scripts run in every frame). */
function uploadKey(sender: chrome.runtime.MessageSender): string {
  return `${sender.tab?.id ?? -1}:${sender.frameId ?? 0}`;
}

function dropUpload(key: string): void {
  const u = uploads.get(key);
  if (u) clearTimeout(u.timer);
  uploads.delete(key);
}

function photoPart(req: Extract<Request, { kind: 'photoPart' }>, key: string): Response {
  if (!Number.isSafeInteger(req.size) || req.size < 0 || req.size > MAX_PHOTO_BYTES) { dropUpload(key); return { kind: 'error', message: 'over 50 MB' }; }
  let u = uploads.get(key);
  if (!u || u.id !== req.id) {
    if (req.at !== 0) return { kind: 'error', message: 'the photo did not arrive whole' };
    dropUpload(key);
    u = { id: req.id, bytes: new Uint8Array(req.size), received: 0, timer: 0 as unknown as ReturnType<typeof setTimeout> };
    uploads.set(key, u);
  }
  let part: Uint8Array<ArrayBuffer>;
  try { part = fromBase64(req.data); } catch { dropUpload(key); return { kind: 'error', message: 'a part of the photo is not base64' }; }
  if (req.at !== u.received || req.at + part.length > u.bytes.length || part.length > PHOTO_PART_BYTES) { dropUpload(key); return { kind: 'error', message: 'a part of the photo out of place' }; }
  u.bytes.set(part, req.at);
  u.received += part.length;
  clearTimeout(u.timer);
  u.timer = setTimeout(() => { if (uploads.get(key) === u) uploads.delete(key); }, PHOTO_UPLOAD_IDLE_MS);
  return { kind: 'ok' };
}

/** The upload `id` of `key`, whole, handed over and forgotten here; null if it is not (dropped, or parts missing). */
function takeUpload(key: string, id: string): Uint8Array<ArrayBuffer> | null {
  const u = uploads.get(key);
  if (!u || u.id !== id) return null;
  dropUpload(key);
  return u.received === u.bytes.length ? u.bytes : null;
}

async function handle(req: Request, sender: chrome.runtime.MessageSender): Promise<Response> {
  if (PAGES_ONLY.has(req.kind) && !fromExtensionPage(sender)) return { kind: 'error', message: 'not allowed from a web page' };
  switch (req.kind) {
    case 'scan':
      try {
        return { kind: 'scanResult', ...(await engine.scan(req.draft)) };
      } catch (e) {
        // An admin install whose managed settings have not arrived: never a verdict from the built-in pack alone.
        if (e instanceof engine.PolicyPending) return { kind: 'pending', reason: 'policy' };
        throw e;
      }
    case 'checkPerson':
      // Connection checks: the name and handle are read here and forgotten; nothing is kept or logged.
      try {
        const matches = await engine.checkPerson(req.name, req.handle);
        return { kind: 'personResult', matches, contacts: matches.length ? [] : await checkContacts(req.name, req.handle) };
      } catch (e) {
        if (e instanceof engine.PolicyPending) return { kind: 'pending', reason: 'policy' };
        throw e;
      }
    case 'photoPart':
      return photoPart(req, uploadKey(sender));
    case 'checkPhoto':
      // The photo's bytes are read here and forgotten: nothing is kept, logged or sent.
      try {
        const bytes = takeUpload(uploadKey(sender), req.id);
        if (!bytes) return { kind: 'error', message: 'the photo did not arrive whole' };
        return { kind: 'photoResult', report: await engine.checkPhoto(bytes, req.name) };
      } catch (e) {
        if (e instanceof engine.PolicyPending) return { kind: 'pending', reason: 'policy' };
        throw e;
      }
    case 'countFaces':
      // People in the photo: counted in an extension page (faces-host.ts), the bytes forgotten after.
      return { kind: 'faceResult', result: await countFacesOnDevice(req.data) };
    case 'status':
      return { kind: 'status', status: await engine.status() };
    case 'ready': {
      const s = await engine.status();
      if (s.ok) return { kind: 'ok' };
      return s.pending ? { kind: 'pending', reason: s.pending } : { kind: 'error', message: s.error ?? 'not ready' };
    }
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
      return { kind: 'siteState', ...siteState(policy, await readDisabledSites(), req.host) };
    }
    case 'setSiteEnabled': {
      // A site the organisation turned on or off stays as it set it.
      if (siteState((await engine.managedPolicy()).policy, [], req.host).locked) return { kind: 'error', message: chrome.i18n.getMessage('setByOrganisation') || 'set by your organisation' };
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
        await writeImportedPacks([...packs, req.json]);
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
      await writeImportedPacks(packs);
      engine.invalidate();
      return { kind: 'ok' };
    }
    case 'exportSettings': {
      const local = await readLocal();
      return { kind: 'exported', json: JSON.stringify({ postsafe: 1, terms: local.settings.terms, allow: local.settings.allow }, null, 2) };
    }
    case 'allowTerm': {
      // From the card's "Always allow this word": one entry added to the teacher's allow list, where the policy lets the teacher keep one.
      if (await locked()) return { kind: 'error', message: chrome.i18n.getMessage('setByOrganisation') || 'set by your organisation' };
      const local = await readLocal();
      const s: UserSettings = { terms: local.settings.terms, allow: cleanList([...local.settings.allow, req.term]) };
      const doc = engine.teacherPack(s);
      if (doc) {
        const err = await engine.checkPack(doc);
        if (err) return { kind: 'error', message: err };
      }
      await chrome.storage.local.set({ [STORAGE.settings]: s });
      engine.invalidate();
      return { kind: 'ok' };
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
  if (sender.id !== chrome.runtime.id || !trustedSender(sender)) return false;
  if (!msg || typeof msg !== 'object' || typeof (msg as { kind?: unknown }).kind !== 'string') return false;
  handle(msg as Request, sender).then(sendResponse, (e: unknown) => sendResponse({ kind: 'error', message: errorText(e) } satisfies Response));
  return true;
});

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== SCAN_PORT || port.sender?.id !== chrome.runtime.id || !trustedSender(port.sender)) { port.disconnect(); return; }
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

const ENGINE_KEYS: string[] = [STORAGE.packsRev, STORAGE.settings, STORAGE.urlPacks];
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

chrome.tabs.onRemoved.addListener((tabId) => {
  tabs.delete(tabId);
  for (const key of [...uploads.keys()]) if (key.startsWith(`${tabId}:`)) dropUpload(key);
});

// At start: the engine first (a content script woke this worker and a Post may be
// waiting for its check), then the pack-URL refresh, which reads every stored pack
// and would only slow the build down, and the sites the policy adds.
void chrome.alarms.get('packs-daily').then((a) => { if (!a) chrome.alarms.create('packs-daily', { periodInMinutes: DAY_MINUTES, delayInMinutes: DAY_MINUTES }); });
void engine.status().finally(() => {
  void refreshPackUrls(false);
  void registerAddedSites();
});
