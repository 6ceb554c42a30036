/**
 * The one message protocol between the extension's parts.
 *
 * Content scripts, the popup and the options page send a `Request` to the
 * background service worker (which alone hosts the WASM engine) and get the
 * matching `Response` back. The background accepts messages only from this
 * extension (`sender.id === chrome.runtime.id`).
 *
 * A finding is data produced once by the Rust engine; its type comes from the
 * TypeScript that wasm-bindgen emits (see docs/extension.md, "The WASM engine contract").
 */

// The finding, draft and pack shapes are the engine's own, emitted by wasm-bindgen
// from crates/wasm (one definition, in Rust).
import type { Category, Draft, FieldKind, Finding, PackSummary, ScanResult, Severity, Truncation } from 'postsafe-wasm';
export type { Category, Draft, FieldKind, Finding, ScanResult, Severity, Truncation };

export type PackInfo = PackSummary;

/** Why a person may be a pupil (Engine.checkPerson): connection checks, contact.ts. */
import type { PersonMatch } from 'postsafe-wasm';
export type { PersonMatch };
import type { PhotoReport } from 'postsafe-wasm';
export type { PhotoReport };
import type { FaceCount } from './faces';
export type { FaceCount };

/** Where a pack came from. */
export type PackSource = 'builtin' | 'managed' | 'url' | 'teacher';

export interface LoadedPack extends PackInfo {
  source: PackSource;
  /** Past its `expires` date: it still works; the popup says since when. */
  expired: boolean;
}

/** Engine state as the popup, options and self-test pages show it. */
export interface EngineStatus {
  ok: boolean;
  version: string | null;
  packs: LoadedPack[];
  /** Why the engine could not be loaded (no draft text in here). */
  error: string | null;
  /** Errors in packs that were skipped (or replaced by their last good copy) while the rest loaded. */
  packErrors: string[];
  errors: { source: PackSource; message: string }[];
  /** storage.local keys that held something unreadable and fell back to defaults. */
  notices: string[];
  /** The engine failed and is being rebuilt (with backoff). */
  restarting: boolean;
  /** The policy replaced the built-in checks with the trust's packs. */
  builtinReplaced: boolean;
  /** Not ready, and why: 'policy' while an admin-installed extension waits for its managed settings. */
  pending?: 'policy';
  /** Rosters in the engine, and how many of them were loaded from the last engine's roster image rather than keyed again. */
  rosters?: { count: number; fromImage: number };
}

/** Who set a setting in force. */
export type SettingSource = 'default' | 'organisation' | 'you';

/** The settings in force, for the pages and the content scripts. No draft text. */
export interface SettingsInForce {
  overrideAllowed: boolean;
  overrideReasonRequired: boolean;
  userTermsAllowed: boolean;
  builtinChecks: 'add' | 'replace';
  workingHours: { days: number[]; start: number; end: number; message: string } | null;
  orgName: string | null;
  policyUrl: string | null;
  sitesAdd: string[];
  sitesRemove: string[];
  /** Sites added by policy that the teacher has not yet allowed (a permission prompt). */
  sitesPending: string[];
  packUrls: { url: string; sha256: string }[];
  /** The connection checks' settings (policy.ts `ContactPolicy`); `contactsPacks`: how many parents-and-carers packs the policy gives. */
  contact: { enabled: boolean; familyAllowed: boolean; referenceReminder: boolean; wikiReminder: boolean; schoolEmailDomains: string[]; contactsPacks: number };
  /** Who set each policy key (keys as in docs/admin.md). */
  sources: Record<string, SettingSource>;
  problems: string[];
}

/** The fixed reasons "Post anyway" may ask for: counted, never free text (which could hold a name). */
export const OVERRIDE_REASONS = ['consent', 'public', 'approved', 'other'] as const;
export type OverrideReason = (typeof OVERRIDE_REASONS)[number];

/** The teacher's own settings, kept in storage.local. Never draft text. */
export interface UserSettings {
  terms: string[];
  allow: string[];
}

/** What a content script reports about its frame, for the badge and popup. In memory only. */
export interface FindingSummary {
  category: Category;
  severity: Severity;
  text: string;
  message: string;
  /** The rule id ("PACK/RULE"): the popup says the message in the teacher's language from it (i18n findingText). */
  rule?: string;
}

export type Request =
  /** `lane` names the composer: over a port, a newer scan in the same lane supersedes a queued one. */
  | { kind: 'scan'; draft: Draft; lane?: number }
  | { kind: 'status' }
  /** Answered once the engine is built ('ok'), or is waiting for the trust's settings ('pending'). Sent at document_start, it also starts a stopped service worker. */
  | { kind: 'ready' }
  | { kind: 'report'; findings: FindingSummary[]; failed: boolean }
  | { kind: 'pageFindings'; tabId: number }
  | { kind: 'siteState'; host: string }
  | { kind: 'setSiteEnabled'; host: string; enabled: boolean }
  | { kind: 'getSettings' }
  | { kind: 'saveSettings'; settings: UserSettings }
  | { kind: 'importPack'; json: string }
  | { kind: 'removePack'; index: number }
  | { kind: 'exportSettings' }
  | { kind: 'override'; reason?: OverrideReason }
  /** "Always allow this word" on the card: adds `term` to the teacher's allow list (refused when the policy locks it). */
  | { kind: 'allowTerm'; term: string }
  /** A person the teacher is about to connect with or message: display name and @handle, read against the pupil roster. */
  | { kind: 'checkPerson'; name: string; handle?: string }
  /**
   * One part of an attached photo's bytes on its way to the background (photos.ts): `id`
   * names the upload, `size` the whole file (bytes, at most 50 MB), `at` where this part
   * starts (bytes), `data` the part as base64 (at most PHOTO_PART_BYTES before encoding;
   * a message is JSON in Chromium, capped at 64 MB). The background keeps one upload a
   * tab, in memory, until `checkPhoto` takes it, the tab closes or no part has come for
   * PHOTO_UPLOAD_IDLE_MS. Answered 'ok', or 'error' (over 50 MB, a part out of place).
   */
  | { kind: 'photoPart'; id: string; size: number; at: number; data: string }
  /** The attached photo sent as `photoPart`s under `id`, whole, and its file name: what its file gives away. Read, then forgotten. */
  | { kind: 'checkPhoto'; name: string; id: string }
  /** An image's bytes (base64; a copy scaled down to 1024 px for a large photo): how many faces are in the picture (faces.ts, in an extension page). Never stored. */
  | { kind: 'countFaces'; data: string }
  | { kind: 'policy' };

export type Response =
  /** `truncated`: fields too long to check fully; such a draft is held, never passed. */
  | { kind: 'scanResult'; findings: Finding[]; truncated: Truncation[] }
  /** A newer scan from the same composer arrived before this one ran: no result. */
  | { kind: 'superseded' }
  /** The engine is not ready yet: an admin-installed extension waits for its managed settings ('policy'). */
  | { kind: 'pending'; reason: 'policy' }
  | { kind: 'status'; status: EngineStatus }
  | { kind: 'ok' }
  | { kind: 'pageFindings'; findings: FindingSummary[]; failed: boolean }
  | { kind: 'siteState'; enabled: boolean; locked?: boolean }
  | { kind: 'settings'; settings: UserSettings; packs: string[]; overrides: number; overrideReasons: Record<string, number>; locked: boolean }
  | { kind: 'policy'; settings: SettingsInForce }
  | { kind: 'exported'; json: string }
  /** The person's matches against the pupil roster; empty when none. */
  /** `contacts`: matches against the parents-and-carers roster, when the policy gives one. */
  | { kind: 'personResult'; matches: PersonMatch[]; contacts?: PersonMatch[] }
  /** What an attached photo gives away (Engine.checkPhoto). */
  | { kind: 'photoResult'; report: PhotoReport }
  /** The faces found in an attached photo, or why they could not be counted. */
  | { kind: 'faceResult'; result: FaceCount }
  | { kind: 'error'; message: string };

/** The largest photo read (bytes, 50 MiB): the engine's limit (postsafe-core `photo::MAX_PHOTO_BYTES`). Past it the card says it is too large to check. */
export const MAX_PHOTO_BYTES = 50 * 1024 * 1024;
/** The most bytes of a photo one `photoPart` carries (before base64): 4 MiB, 5.6 MB as base64. */
export const PHOTO_PART_BYTES = 4 * 1024 * 1024;
/** An upload with no new part for this long (ms) is dropped by the background. */
export const PHOTO_UPLOAD_IDLE_MS = 60_000;
/**
 * Pictures larger than this on their longer side (pixels) are scaled down before face
 * detection (faces.ts); a large photo's faces go from the page as a copy of this size (photos.ts).
 */
export const FACE_MAX_SIDE = 1024;

/**
 * Bytes from base64 (a photo's bytes cross the message protocol as base64). Throws a
 * DOMException when `s` is not base64.
 */
export function fromBase64(s: string): Uint8Array<ArrayBuffer> {
  const native = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array<ArrayBuffer> }).fromBase64;
  if (native) return native(s);
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Maps each request kind to the response kinds it may get (always possibly 'error'). */
export interface ResponseFor {
  scan: 'scanResult' | 'superseded' | 'pending';
  status: 'status';
  ready: 'ok' | 'pending';
  report: 'ok';
  pageFindings: 'pageFindings';
  siteState: 'siteState';
  setSiteEnabled: 'ok';
  getSettings: 'settings';
  saveSettings: 'ok';
  importPack: 'ok';
  removePack: 'ok';
  exportSettings: 'exported';
  override: 'ok';
  allowTerm: 'ok';
  policy: 'policy';
  checkPerson: 'personResult' | 'pending';
  photoPart: 'ok';
  checkPhoto: 'photoResult' | 'pending';
  countFaces: 'faceResult';
}

export type ResponseOf<K extends Request['kind']> =
  | Extract<Response, { kind: ResponseFor[K] }>
  | Extract<Response, { kind: 'error' }>;

/** Send a request to the background and await its typed response. Never throws. */
export async function send<R extends Request>(req: R): Promise<ResponseOf<R['kind']>> {
  try {
    const res = (await chrome.runtime.sendMessage(req)) as ResponseOf<R['kind']> | undefined;
    if (!res) return { kind: 'error', message: 'no response from background' };
    return res;
  } catch (e) {
    return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
  }
}

/** Name of the port content scripts keep open for scans (cheaper than one message channel per scan). */
export const SCAN_PORT = 'postsafe-scan';

/** A request sent over a port carries an id; its response comes back with the same id. */
export interface PortRequest { id: number; req: Request }
export interface PortResponse { id: number; res: Response }

let port: chrome.runtime.Port | null = null;
let nextId = 1;
interface Waiting { req: Request; resolve: (res: Response) => void; retried: boolean }
const waiting = new Map<number, Waiting>();

function openPort(): chrome.runtime.Port {
  if (port) return port;
  const p = chrome.runtime.connect({ name: SCAN_PORT });
  p.onMessage.addListener((msg: PortResponse) => {
    const w = waiting.get(msg.id);
    waiting.delete(msg.id);
    w?.resolve(msg.res);
  });
  p.onDisconnect.addListener(() => {
    // The worker was stopped (or the extension updated) with requests under way:
    // send each once more on a new port, then give up with an error.
    if (port === p) port = null;
    const again = [...waiting].filter(([, w]) => !w.retried);
    for (const [id, w] of waiting) {
      if (w.retried) { waiting.delete(id); w.resolve({ kind: 'error', message: 'background disconnected' }); }
    }
    for (const [id, w] of again) { w.retried = true; post(id, w); }
  });
  port = p;
  return p;
}

function post(id: number, w: Waiting): void {
  try {
    openPort().postMessage({ id, req: w.req } satisfies PortRequest);
  } catch (e) {
    waiting.delete(id);
    port = null;
    w.resolve({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}

/** Like send(), over a long-lived port; used for the many scans of a content script. */
export function request<R extends Request>(req: R): Promise<ResponseOf<R['kind']>> {
  return new Promise((resolve) => {
    const id = nextId++;
    const w: Waiting = { req, resolve: resolve as (res: Response) => void, retried: false };
    waiting.set(id, w);
    post(id, w);
  });
}

/** Severity that holds a post. */
export function holdsPost(f: Finding): boolean {
  return f.severity === 'warn' || f.severity === 'block';
}

/** storage.local keys. Nothing stored here contains draft text. */
export const STORAGE = {
  settings: 'settings',
  /** Imported packs: kept in IndexedDB (packdocs.ts); here only what an older version left, moved on first read. */
  packs: 'packs',
  /** Changed whenever a pack document in IndexedDB changes: the engine rebuilds. */
  packsRev: 'packsRev',
  disabledSites: 'disabledSites',
  overrides: 'overrideCount',
  /** Counts per OverrideReason (numbers only). */
  overrideReasons: 'overrideReasons',
  /** Pack URL downloads: {url: {sha256, doc: null, fetchedAt, error, attemptAt}}; the documents are in IndexedDB. */
  urlPacks: 'urlPacks',
  /** Last good document of each managed inline pack slot: kept in IndexedDB; here only what an older version left. */
  lastGood: 'lastGood',
} as const;
