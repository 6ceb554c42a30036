/**
 * storage.local, read defensively: a value that is not the shape we wrote (a bug,
 * a downgrade, a disk error, someone's experiment) falls back to its default for
 * this read and is reported once as a notice; the other keys are used as they are,
 * and the bad value is left in place (nothing is deleted) until the teacher saves.
 *
 * Pack documents are not in storage.local but in IndexedDB (packdocs.ts); storage.local
 * holds what is small: settings, switches, counts, the status of each pack URL, and
 * `packsRev`, changed whenever a document is, so storage.onChanged still says when to
 * rebuild. Documents an older version kept in storage.local are moved on first read.
 */
import type { UserSettings } from './protocol';
import { STORAGE } from './protocol';
import { DOC, readDocs, writeDocs } from './packdocs';

export interface UrlPackCache {
  /** The hash the document was checked against. */
  sha256: string;
  /** The last good document (matched its hash and loaded), or null. */
  doc: string | null;
  fetchedAt: number | null;
  /** Why the latest attempt failed, or null when it succeeded. */
  error: string | null;
  attemptAt: number | null;
}

export interface LocalState {
  settings: UserSettings;
  packs: string[];
  disabledSites: string[];
  overrides: number;
  overrideReasons: Record<string, number>;
  urlPacks: Record<string, UrlPackCache>;
  lastGood: Record<string, string>;
  /** Keys that held something unreadable and fell back to defaults (no values, just names). */
  notices: string[];
}

const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');
const isRecord = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);

type Check<T> = { key: string; dflt: () => T; ok: (x: unknown) => boolean };
const KEYS = {
  settings: { key: STORAGE.settings, dflt: () => ({ terms: [], allow: [] }), ok: (x: unknown) => isRecord(x) && isStrings(x.terms ?? []) && isStrings(x.allow ?? []) },
  packs: { key: STORAGE.packs, dflt: () => [], ok: isStrings },
  disabledSites: { key: STORAGE.disabledSites, dflt: () => [], ok: isStrings },
  overrides: { key: STORAGE.overrides, dflt: () => 0, ok: (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0 },
  overrideReasons: { key: STORAGE.overrideReasons, dflt: () => ({}), ok: (x: unknown) => isRecord(x) && Object.values(x).every((n) => typeof n === 'number') },
  urlPacks: {
    key: STORAGE.urlPacks, dflt: () => ({}),
    ok: (x: unknown) => isRecord(x) && Object.values(x).every((c) => isRecord(c) && typeof c.sha256 === 'string' && (c.doc === null || typeof c.doc === 'string')),
  },
  lastGood: { key: STORAGE.lastGood, dflt: () => ({}), ok: (x: unknown) => isRecord(x) && Object.values(x).every((d) => typeof d === 'string') },
} satisfies Record<string, Check<unknown>>;

export async function readLocal(): Promise<LocalState> {
  const got = await chrome.storage.local.get(Object.values(KEYS).map((k) => k.key));
  const notices: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, c] of Object.entries(KEYS)) {
    const v = got[c.key];
    if (v === undefined) { out[name] = c.dflt(); continue; }
    if (c.ok(v)) { out[name] = v; continue; }
    out[name] = c.dflt();
    notices.push(c.key);
  }
  const s = out.settings as Partial<UserSettings>;
  out.settings = { terms: s.terms ?? [], allow: s.allow ?? [] };
  const state = { ...(out as Omit<LocalState, 'notices'>), notices };
  await withDocs(state, got);
  return state;
}

/**
 * Fills `state` with the documents from IndexedDB. What an older version left in
 * storage.local (`legacy`) is used when IndexedDB has nothing, and moved there.
 */
async function withDocs(state: LocalState, legacy: Record<string, unknown>): Promise<void> {
  const urls = Object.keys(state.urlPacks);
  const [imports, lastGood, ...downloads] = await readDocs([DOC.imports, DOC.lastGood, ...urls.map(DOC.url)]);
  const move: [string, unknown][] = [];
  if (isStrings(imports)) state.packs = imports;
  else if (legacy[STORAGE.packs] !== undefined) move.push([DOC.imports, state.packs]);
  if (isRecord(lastGood) && Object.values(lastGood).every((d) => typeof d === 'string')) state.lastGood = lastGood as Record<string, string>;
  else if (legacy[STORAGE.lastGood] !== undefined) move.push([DOC.lastGood, state.lastGood]);
  urls.forEach((url, i) => {
    const c = state.urlPacks[url]!;
    const d = downloads[i];
    if (typeof d === 'string') state.urlPacks[url] = { ...c, doc: d };
    else if (typeof c.doc === 'string') move.push([DOC.url(url), c.doc]);
  });
  if (!move.length) return;
  await writeDocs(move);
  const status = Object.fromEntries(Object.entries(state.urlPacks).map(([u, c]) => [u, { ...c, doc: null }]));
  await chrome.storage.local.set({ [STORAGE.urlPacks]: status });
  await chrome.storage.local.remove([STORAGE.packs, STORAGE.lastGood]);
}

/** The status of each pack URL, without documents (storage.local only). */
export async function readUrlPackStatus(): Promise<Record<string, UrlPackCache>> {
  const got = await chrome.storage.local.get(STORAGE.urlPacks);
  const v = got[STORAGE.urlPacks];
  if (!KEYS.urlPacks.ok(v)) return {};
  return Object.fromEntries(Object.entries(v as Record<string, UrlPackCache>).map(([u, c]) => [u, { ...c, doc: null }]));
}

/** A new value for `packsRev`: storage.onChanged then tells every part that a document changed. */
function bump(): Record<string, string> {
  return { [STORAGE.packsRev]: crypto.randomUUID() };
}

/** Replaces the teacher's imported packs (documents, in order). */
export async function writeImportedPacks(packs: string[]): Promise<void> {
  await writeDocs([[DOC.imports, packs]]);
  await chrome.storage.local.set(bump());
}

/**
 * Records the outcome of pack URL downloads: the status of each (in storage.local,
 * no document) and, for those given in `docs`, their new last good document. The
 * documents are written first, so a reader that sees the new status finds them.
 */
export async function writeUrlPacks(status: Record<string, UrlPackCache>, docs: Record<string, string>): Promise<void> {
  const entries = Object.entries(docs);
  await writeDocs(entries.map(([url, doc]) => [DOC.url(url), doc]));
  const meta = Object.fromEntries(Object.entries(status).map(([u, c]) => [u, { ...c, doc: null }]));
  await chrome.storage.local.set({ [STORAGE.urlPacks]: meta, ...(entries.length ? bump() : {}) });
}

/**
 * The last good copy of each managed inline pack. Written by the engine as it builds,
 * so no rebuild is asked for.
 */
export function writeLastGood(keep: Record<string, string>): Promise<void> {
  return writeDocs([[DOC.lastGood, keep]]);
}

/** Only the hosts the teacher switched off (what a content script needs at document_start; no packs read). */
export async function readDisabledSites(): Promise<string[]> {
  const got = await chrome.storage.local.get(STORAGE.disabledSites);
  const v = got[STORAGE.disabledSites];
  return KEYS.disabledSites.ok(v) ? (v as string[]) : KEYS.disabledSites.dflt();
}
