/**
 * Hosts the WASM engine inside the background service worker (the only place
 * WASM runs: content scripts on strict-CSP pages could not compile it).
 *
 * Packs come from four places, in this order: the built-in default pack (unless
 * the policy replaces it), the trust's managed packs (inline, then downloaded from
 * pack URLs), the teacher's imported packs and own terms (unless the policy locks
 * them). A pack that fails keeps its last good copy in force; the admin is told.
 *
 * Fail safe: if the WASM cannot load, or traps, the engine is rebuilt from the last
 * good packs with a backoff (1 s, doubling, at most a minute); until then every
 * scan fails, so every composer says "Postsafe could not check this draft". An
 * extension installed by the organisation (installType "admin") whose managed
 * settings have not arrived yet builds nothing: scans throw `PolicyPending`, never a
 * verdict from the built-in pack alone, until chrome.storage.managed fills.
 *
 * Cold start (a stopped service worker woken by a content script): the WASM is
 * compiled while the packs are read, and the packs are built once together (each is
 * checked alone only when that fails), loading its rosters from the last engine's roster
 * image where their names are unchanged (see `keepImage`). Each step leaves a User
 * Timing measure (`postsafe:wasm`, `postsafe:read`, `postsafe:build`; the mark
 * `postsafe:rosters` says how many rosters came from the image) for the e2e figures.
 *
 * Photos: reading a photo file's details is a second WebAssembly module
 * (pkg/postsafe_wasm_photo_bg.wasm, crates/wasm-photo), instantiated only when the
 * first photo is attached; what it reads is checked by the engine (`checkPhoto`).
 */
import init, { Engine, version, __postsafe_reset } from 'postsafe-wasm';
import initPhotoReader, { readPhoto, __postsafe_reset as resetPhotoReader } from 'postsafe-wasm-photo';
import type { Draft, EngineStatus, LoadedPack, PackSource, ScanResult, UserSettings } from './protocol';
import type { PersonMatch, PhotoReport } from './protocol';
import { readPolicy, type ReadPolicy } from './policy';
import { readLocal, writeLastGood, type LocalState } from './store';
import { DOC, deleteDoc, readDocs, writeDocs, type RosterImage } from './packdocs';

interface Loaded {
  engine: Engine;
  status: EngineStatus;
}

interface Doc { doc: string; source: PackSource; slot: string }

let wasmReady: Promise<void> | null = null;
let loading: Promise<Loaded> | null = null;
/** The packs of the last engine that built: a restart after a trap uses these. */
let lastGood: { docs: Doc[]; includeDefault: boolean } | null = null;
let failures = 0;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let lastError: string | null = null;
let restarting = false;
const listeners = new Set<() => void>();

/** Thrown by `scan` while an admin-installed extension waits for its managed settings. */
export class PolicyPending extends Error {
  constructor() { super(chrome.i18n.getMessage('waitingForPolicy') || "Postsafe is waiting for your trust's lists"); this.name = 'PolicyPending'; }
}

let installType: Promise<string> | null = null;

/** Installed by the organisation's policy, whose managed settings are still empty: wait for them. */
async function policyPending(raw: Record<string, unknown>): Promise<boolean> {
  if (Object.keys(raw).length > 0) return false;
  installType ??= (async () => {
    try { return (await chrome.management.getSelf()).installType; } catch { return 'unknown'; }
  })();
  return (await installType) === 'admin';
}

/** A User Timing measure from `start` (performance.now()) to now, for the cold-start figures. */
function measure(name: string, start: number): void {
  try { performance.measure(name, { start, end: performance.now() }); } catch { /* no User Timing here */ }
}

/** Called when the engine came back (or changed): content scripts may check again. */
export function onRecovered(f: () => void): void { listeners.add(f); }

function initWasm(): Promise<void> {
  if (wasmReady) return wasmReady;
  const url = chrome.runtime.getURL('pkg/postsafe_wasm_bg.wasm');
  const p = init({ module_or_path: url }).then(() => undefined);
  wasmReady = p;
  p.catch(() => { if (wasmReady === p) wasmReady = null; });
  return p;
}

let photoReaderReady: Promise<void> | null = null;

/** The photo reader's module, instantiated on first use (a failed load is tried again next time). */
function initPhotoReaderWasm(): Promise<void> {
  if (photoReaderReady) return photoReaderReady;
  const url = chrome.runtime.getURL('pkg/postsafe_wasm_photo_bg.wasm');
  const p = initPhotoReader({ module_or_path: url }).then(() => undefined);
  photoReaderReady = p;
  p.catch(() => { if (photoReaderReady === p) photoReaderReady = null; });
  return p;
}

/** The teacher's own terms become a small pack of format 1. */
export function teacherPack(settings: UserSettings): string | null {
  const terms = settings.terms.map((t) => t.trim()).filter(Boolean);
  const allow = settings.allow.map((t) => t.trim()).filter(Boolean);
  if (terms.length === 0 && allow.length === 0) return null;
  const pack: Record<string, unknown> = {
    format: 1,
    id: 'teacher',
    name: chrome.i18n.getMessage('teacherPackName') || 'My own terms',
    version: '1',
    schools: [],
    pupils: [],
    staff: [],
    term_lists: terms.length === 0 ? [] : [{
      id: 'teacher.terms',
      category: 'confidential',
      severity: 'warn',
      message: chrome.i18n.getMessage('teacherTermMessage') || 'This is on your own list of words to keep off social media.',
      advice: chrome.i18n.getMessage('teacherTermAdvice') || 'Remove it, or reword the post.',
      clause: chrome.i18n.getMessage('teacherTermClause') || 'Your own list',
      terms,
    }],
    allow,
  };
  return JSON.stringify(pack);
}

async function managedRaw(): Promise<Record<string, unknown>> {
  try {
    return await chrome.storage.managed.get(null);
  } catch {
    return {};
  }
}

/** The managed policy as it stands; {} when there is none (or no managed storage). */
export async function managedPolicy(): Promise<ReadPolicy> {
  return readPolicy(await managedRaw());
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isTrap(e: unknown): boolean {
  return e instanceof WebAssembly.RuntimeError || (e instanceof Error && /unreachable|RuntimeError|memory access out of bounds/i.test(`${e.name} ${e.message}`));
}

function checkDoc(doc: string): string | null {
  try { new Engine([doc], false).free(); return null; } catch (e) {
    if (isTrap(e)) throw e;
    return message(e);
  }
}

/** Managed URL packs: the cache holds the last download that matched its hash and loaded. */
function urlDocs(p: ReadPolicy['policy'], local: LocalState, docs: Doc[], errors: { source: PackSource; message: string }[]): void {
  for (const u of p.packUrls) {
    const c = local.urlPacks[u.url];
    if (c?.doc) docs.push({ doc: c.doc, source: 'url', slot: u.url });
    if (c?.error) errors.push({ source: 'url', message: `${u.url}: ${c.error}${c.doc ? ` — ${chrome.i18n.getMessage('lastGoodInUse') || 'the last good copy is in use'}` : ''}` });
    else if (!c?.doc) errors.push({ source: 'url', message: `${u.url}: ${chrome.i18n.getMessage('notDownloadedYet') || 'not downloaded yet'}` });
  }
}

/** The pack documents in force, in load order, with the admin's errors. Updates the last-good copies of inline packs. */
async function collect(pol: ReadPolicy, local: LocalState): Promise<{ docs: Doc[]; errors: { source: PackSource; message: string }[]; includeDefault: boolean }> {
  const docs: Doc[] = [];
  const errors: { source: PackSource; message: string }[] = [];
  const p = pol.policy;

  // Managed inline packs: a slot that fails keeps its last good document.
  const keep: Record<string, string> = {};
  p.inline.forEach((doc, i) => {
    const slot = `inline:${i}`;
    const err = checkDoc(doc);
    if (!err) { docs.push({ doc, source: 'managed', slot }); keep[slot] = doc; return; }
    const old = local.lastGood[slot];
    errors.push({ source: 'managed', message: old ? chrome.i18n.getMessage('packKeptLastGood', [err]) || `${err} (the last good copy is in use)` : err });
    if (old) { docs.push({ doc: old, source: 'managed', slot }); keep[slot] = old; }
  });
  if (JSON.stringify(keep) !== JSON.stringify(local.lastGood)) await writeLastGood(keep);

  urlDocs(p, local, docs, errors);

  // The teacher's layer, if the policy allows it.
  if (p.userTermsAllowed) {
    local.packs.forEach((doc, i) => {
      const err = checkDoc(doc);
      if (err) errors.push({ source: 'teacher', message: err }); else docs.push({ doc, source: 'teacher', slot: `import:${i}` });
    });
    const mine = teacherPack(local.settings);
    if (mine) docs.push({ doc: mine, source: 'teacher', slot: 'own' });
  }
  const managedLoaded = docs.some((d) => d.source === 'managed' || d.source === 'url');
  return { docs, errors, includeDefault: !(p.builtinChecks === 'replace' && managedLoaded) };
}

export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function build(docs: Doc[], includeDefault: boolean, errors: { source: PackSource; message: string }[], notices: string[], image?: Uint8Array): Loaded {
  const engine = new Engine(docs.map((d) => d.doc), includeDefault, image);
  try { performance.mark('postsafe:rosters', { detail: { count: engine.rosterCount, fromImage: engine.rostersFromImage } }); } catch { /* no User Timing here */ }
  const info = engine.info() as { packs: Omit<LoadedPack, 'source' | 'expired'>[] };
  const sources: PackSource[] = [...(includeDefault ? ['builtin' as const] : []), ...docs.map((d) => d.source)];
  const now = today();
  const packs: LoadedPack[] = info.packs.map((p, i) => ({
    ...p, source: sources[i] ?? 'teacher', expired: !!p.expires && p.expires < now,
  }));
  return {
    engine,
    status: {
      ok: true, version: version(), packs, error: null, packErrors: errors.map((e) => e.message), errors, notices,
      restarting: false, builtinReplaced: !includeDefault,
      rosters: { count: engine.rosterCount, fromImage: engine.rostersFromImage },
    },
  };
}

/**
 * Every pack document in force, unchecked, when they all build together: the usual
 * case, one build instead of one per pack plus the whole. Null when any fails; then
 * `collect` checks each alone.
 */
async function buildAll(pol: ReadPolicy, local: LocalState, image?: Uint8Array): Promise<{ l: Loaded; docs: Doc[]; includeDefault: boolean } | null> {
  const p = pol.policy;
  const docs: Doc[] = p.inline.map((doc, i) => ({ doc, source: 'managed', slot: `inline:${i}` }));
  const errors: { source: PackSource; message: string }[] = [];
  urlDocs(p, local, docs, errors);
  if (p.userTermsAllowed) {
    local.packs.forEach((doc, i) => docs.push({ doc, source: 'teacher', slot: `import:${i}` }));
    const mine = teacherPack(local.settings);
    if (mine) docs.push({ doc: mine, source: 'teacher', slot: 'own' });
  }
  const managedLoaded = docs.some((d) => d.source === 'managed' || d.source === 'url');
  const includeDefault = !(p.builtinChecks === 'replace' && managedLoaded);
  for (const m of pol.problems) errors.push({ source: 'managed', message: m });
  let l: Loaded;
  try {
    l = build(docs, includeDefault, errors, local.notices, image);
  } catch (e) {
    if (isTrap(e)) throw e;
    return null;
  }
  // Every inline pack loaded: each is now its slot's last good copy.
  const keep: Record<string, string> = {};
  for (const d of docs) if (d.source === 'managed') keep[d.slot] = d.doc;
  if (JSON.stringify(keep) !== JSON.stringify(local.lastGood)) await writeLastGood(keep);
  return { l, docs, includeDefault };
}

async function load(): Promise<Loaded> {
  const t0 = performance.now();
  // Compile the WASM while the packs are read.
  const wasm = initWasm().then(() => measure('postsafe:wasm', t0));
  wasm.catch(() => {});
  const stored = readImage();
  const raw = await managedRaw();
  if (await policyPending(raw)) throw new PolicyPending();
  const pol = readPolicy(raw);
  const local = await readLocal();
  const image = await stored;
  measure('postsafe:read', t0);
  await wasm;
  const t1 = performance.now();
  const fast = await buildAll(pol, local, imageOf(image));
  if (fast) {
    measure('postsafe:build', t1);
    lastGood = { docs: fast.docs, includeDefault: fast.includeDefault };
    keepImage(fast.l.engine);
    return fast.l;
  }
  const notices = local.notices;
  const { docs, errors, includeDefault } = await collect(pol, local);
  for (const p of pol.problems) errors.push({ source: 'managed', message: p });
  let l: Loaded;
  try {
    l = build(docs, includeDefault, errors, notices);
  } catch (e) {
    if (isTrap(e)) throw e;
    // Each document loads alone but not together (e.g. two packs with one id): keep those that fit.
    const good: Doc[] = [];
    for (const d of docs) {
      try { new Engine([...good, d].map((x) => x.doc), false).free(); good.push(d); } catch (err) {
        if (isTrap(err)) throw err;
        errors.push({ source: d.source, message: message(err) });
      }
    }
    l = build(good, includeDefault, errors, notices);
  }
  measure('postsafe:build', t1);
  lastGood = { docs, includeDefault };
  keepImage(l.engine);
  return l;
}

/**
 * Roster images (crates/core engine/image.rs): a browser stops an idle worker many times
 * a day, and each start builds the engine again. The tables of its rosters are kept in
 * IndexedDB after a build, and the next build loads each roster whose names are the same
 * from them instead of keying it again (a 30,000-pupil roster: about 70 ms less a start
 * on the 2-core test machine). The engine checks every roster it is given against the
 * packs and builds from the pack whatever does not match, so an image from other packs,
 * another version or a damaged disk costs a build, never a check.
 */
function imageTag(): string {
  return `${chrome.runtime.getManifest().version}/${version()}`;
}

/** The stored roster image, undefined when there is none (or it cannot be read). */
async function readImage(): Promise<RosterImage | undefined> {
  try {
    const [r] = await readDocs([DOC.rosterImage]);
    const img = r as Partial<RosterImage> | undefined;
    return img && typeof img.engine === 'string' && img.bytes instanceof Uint8Array ? img as RosterImage : undefined;
  } catch { return undefined; }
}

/** The bytes of `img` if this extension and engine wrote it (the engine is ready). */
function imageOf(img: RosterImage | undefined): Uint8Array | undefined {
  return img && img.engine === imageTag() ? img.bytes : undefined;
}

/**
 * After a build: the engine's roster image replaces the stored one when the engine
 * keyed a roster itself; none is kept when it has no roster (the packs' names are gone,
 * so are their keys). In a task of its own, after the scans that waited for the build;
 * not if the engine has been replaced since.
 */
function keepImage(engine: Engine): void {
  const p = loading;
  setTimeout(() => {
    void (async () => {
      const l = p && loading === p ? await p.catch(() => null) : null;
      // Still the engine in force after the wait (a rebuild frees the one before).
      if (loading !== p || l?.engine !== engine) return;
      if (engine.rosterCount === 0) await deleteDoc(DOC.rosterImage);
      else if (engine.rostersFromImage < engine.rosterCount) {
        await writeDocs([[DOC.rosterImage, { engine: imageTag(), bytes: engine.rosterImage() } satisfies RosterImage]]);
      }
      try { performance.mark('postsafe:image-kept'); } catch { /* no User Timing here */ }
    })().catch(() => {});
  }, 0);
}

/** Rebuild after a trap: a fresh WASM instance, the current packs, or else the last good ones. */
async function restart(): Promise<Loaded> {
  __postsafe_reset();
  wasmReady = null;
  // Built without the stored image: the instance died, and nothing it read is trusted.
  await deleteDoc(DOC.rosterImage).catch(() => {});
  try {
    return await load();
  } catch (e) {
    if (isTrap(e) || !lastGood) throw e;
    return build(lastGood.docs, lastGood.includeDefault, [{ source: 'managed', message: message(e) }], []);
  }
}

function scheduleRetry(): void {
  if (retryTimer) return;
  const delay = Math.min(60_000, 1000 * 2 ** Math.min(failures - 1, 6));
  retryTimer = setTimeout(() => {
    retryTimer = null;
    loading = null;
    void loaded().then(() => { for (const f of listeners) f(); }, () => {});
  }, delay);
}

function loaded(): Promise<Loaded> {
  if (!loading) {
    const p = (restarting ? restart() : load()).then((l) => {
      failures = 0; lastError = null; restarting = false;
      return l;
    });
    loading = p;
    p.catch((e: unknown) => {
      // Waiting for the managed settings is no failure: the next request looks again,
      // and their arrival (storage.onChanged) rebuilds.
      if (e instanceof PolicyPending) { if (loading === p) loading = null; return; }
      // Until the retry, requests fail at once (the composers show that the check did not run).
      failures++;
      lastError = message(e);
      if (isTrap(e)) restarting = true;
      scheduleRetry();
    });
  }
  return loading;
}

/** Drop the engine so the next request rebuilds it with the current packs. */
export function invalidate(): void {
  if (retryTimer) return; // a restart is pending; it reads the current packs
  const old = loading;
  loading = null;
  old?.then((l) => { try { l.engine.free(); } catch { /* a dead instance */ } }).catch(() => {});
  void loaded().then(() => { for (const f of listeners) f(); }, () => {});
}

export async function status(): Promise<EngineStatus> {
  try {
    return (await loaded()).status;
  } catch (e) {
    const local = await readLocal().catch(() => null);
    const pending = e instanceof PolicyPending;
    return {
      ok: false, version: null, packs: [], error: pending ? message(e) : lastError ?? message(e), packErrors: [], errors: [],
      notices: local?.notices ?? [], restarting: !pending, builtinReplaced: false, ...(pending ? { pending: 'policy' as const } : {}),
    };
  }
}

/** Findings of a draft, and the fields too long to check fully (never to be taken as checked). */
export async function scan(draft: Draft): Promise<ScanResult> {
  const l = await loaded();
  try {
    return l.engine.scan({
      body: draft.body,
      alt: draft.alt ?? [],
      files: draft.files ?? [],
      links: draft.links ?? [],
    }) as ScanResult;
  } catch (e) {
    if (isTrap(e) && loading) {
      // The instance is dead: every scan fails until a fresh one is built.
      const dead = loading;
      restarting = true;
      failures++;
      lastError = message(e);
      loading = Promise.reject(e);
      loading.catch(() => {});
      void dead.then((x) => { (x.engine as unknown as { __destroy_into_raw(): number }).__destroy_into_raw(); });
      scheduleRetry();
    }
    throw e;
  }
}

/**
 * Whether a person (display name, @handle) may be a pupil: the engine's matches
 * against the pupil roster (connection checks, contact.ts), empty when none.
 * Rejects as `scan` does (engine not built, the trust's settings pending).
 */
export async function checkPerson(name: string, handle?: string): Promise<PersonMatch[]> {
  const l = await loaded();
  return l.engine.checkPerson(name, handle) as PersonMatch[];
}

/**
 * What an attached photo gives away (issue 16): its bytes read by the photo reader's
 * module (loaded now if it is not yet), and what it read checked by the engine (text
 * fields scanned as alt text, GPS position against the packs' schools). Rejects as
 * `scan` does; a reader that traps on a file is dropped, and the next photo gets a
 * fresh one.
 */
export async function checkPhoto(bytes: Uint8Array, name: string): Promise<PhotoReport> {
  const [l] = await Promise.all([loaded(), initPhotoReaderWasm()]);
  let read: ReturnType<typeof readPhoto>;
  try {
    read = readPhoto(bytes);
  } catch (e) {
    if (isTrap(e)) { resetPhotoReader(); photoReaderReady = null; }
    throw e;
  }
  return l.engine.checkPhoto(read, name) as PhotoReport;
}

/** Check a pack document alone; returns the engine's error text, or null when it loads. */
export async function checkPack(doc: string): Promise<string | null> {
  await loaded().catch(() => initWasm());
  try { return checkDoc(doc); } catch (e) { return message(e); }
}
