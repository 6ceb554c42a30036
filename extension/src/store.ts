/**
 * storage.local, read defensively: a value that is not the shape we wrote (a bug,
 * a downgrade, a disk error, someone's experiment) falls back to its default for
 * this read and is reported once as a notice; the other keys are used as they are,
 * and the bad value is left in place (nothing is deleted) until the teacher saves.
 */
import type { UserSettings } from './protocol';
import { STORAGE } from './protocol';

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
  return { ...(out as Omit<LocalState, 'notices'>), notices };
}
