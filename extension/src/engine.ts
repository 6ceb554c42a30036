/**
 * Hosts the WASM engine inside the background service worker (the only place
 * WASM runs: content scripts on strict-CSP pages could not compile it).
 *
 * Loads the built-in default pack plus the packs an admin or teacher imported and
 * the teacher's own terms/allow list, all from storage.local.
 */
import init, { Engine, version } from 'postsafe-wasm';
import type { Draft, EngineStatus, Finding, PackInfo, UserSettings } from './protocol';
import { STORAGE } from './protocol';

interface Loaded {
  engine: Engine;
  status: EngineStatus;
}

let wasmReady: Promise<void> | null = null;
let loading: Promise<Loaded> | null = null;

function initWasm(): Promise<void> {
  if (wasmReady) return wasmReady;
  const url = chrome.runtime.getURL('pkg/postsafe_wasm_bg.wasm');
  const p = init({ module_or_path: url }).then(() => undefined);
  wasmReady = p;
  // A failed load is retried on the next request, not cached forever.
  p.catch(() => { if (wasmReady === p) wasmReady = null; });
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

function strings(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((p): p is string => typeof p === 'string') : [];
}

/** Packs an admin deployed by policy (chrome.storage.managed), read-only here. */
async function managedPacks(): Promise<string[]> {
  try {
    return strings((await chrome.storage.managed.get(STORAGE.packs))[STORAGE.packs]);
  } catch {
    return []; // no policy, or no managed storage in this browser
  }
}

/** Pack documents in load order: admin's (policy), imported, then the teacher's own terms. */
export async function readPackDocs(): Promise<string[]> {
  const got = await chrome.storage.local.get([STORAGE.packs, STORAGE.settings]);
  const packs = [...(await managedPacks()), ...strings(got[STORAGE.packs])];
  const s = got[STORAGE.settings] as UserSettings | undefined;
  const mine = s ? teacherPack({ terms: s.terms ?? [], allow: s.allow ?? [] }) : null;
  return mine ? [...packs, mine] : packs;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function load(): Promise<Loaded> {
  await initWasm();
  const docs = await readPackDocs();
  const packErrors: string[] = [];
  let engine: Engine;
  try {
    engine = new Engine(docs);
  } catch (e) {
    // One bad pack must not switch the whole check off: keep the packs that load.
    const good: string[] = [];
    for (const doc of docs) {
      try { new Engine([doc]).free(); good.push(doc); } catch (err) { packErrors.push(message(err)); }
    }
    if (packErrors.length === 0) packErrors.push(message(e));
    engine = new Engine(good);
  }
  const info = engine.info() as { packs: PackInfo[] };
  return {
    engine,
    status: { ok: true, version: version(), packs: info.packs, error: null, packErrors },
  };
}

function loaded(): Promise<Loaded> {
  if (!loading) {
    loading = load();
    loading.catch(() => { loading = null; });
  }
  return loading;
}

/** Drop the engine so the next request rebuilds it with the current packs. */
export function invalidate(): void {
  const old = loading;
  loading = null;
  old?.then((l) => l.engine.free()).catch(() => {});
}

export async function status(): Promise<EngineStatus> {
  try {
    return (await loaded()).status;
  } catch (e) {
    return { ok: false, version: null, packs: [], error: message(e), packErrors: [] };
  }
}

export async function scan(draft: Draft): Promise<Finding[]> {
  const { engine } = await loaded();
  return engine.scan({
    body: draft.body,
    alt: draft.alt ?? [],
    files: draft.files ?? [],
    links: draft.links ?? [],
  }) as Finding[];
}

/** Check a pack document alone; returns the engine's error text, or null when it loads. */
export async function checkPack(doc: string): Promise<string | null> {
  await initWasm();
  try { new Engine([doc]).free(); return null; } catch (e) { return message(e); }
}
