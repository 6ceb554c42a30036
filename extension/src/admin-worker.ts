/**
 * The admin page's Web Worker: it holds the WebAssembly engine and does every heavy
 * step (reading the register, building, hashing, checking, diffing, SHA-256, the sample
 * draft's findings) so the page never freezes, even for a 30,000-pupil trust. The
 * admin module's bytes (the engine plus the pack builder, crates/wasm-admin) are
 * bundled into this script (esbuild's binary loader), so it works from a blob: URL on
 * a page opened from disk, with no request at all.
 */
import wasmBytes from 'postsafe-wasm-bytes';
import { Engine, PackBuilder, checkPack, diffPacks, initSync, registerSchools } from 'postsafe-wasm-admin';
import type { BuiltPack, BuildProgress } from 'postsafe-wasm-admin';
import {
  firefoxPolicies, googleAdminConsole, inlinePacksJson, linuxPolicy, macosMobileconfig, packSettings, windowsReg,
  type Settings,
} from './admin-policy';

/** A file handed to the worker: its name and bytes. */
export interface FileIn { name: string; bytes: Uint8Array }

/** What the page asks. */
export type Request =
  | { type: 'register'; file: FileIn }
  | {
    type: 'build';
    name: string;
    todayUnixDays: number;
    register: FileIn | null;
    trust: string | null;
    urns: string[];
    pupils: FileIn[];
    staff: FileIn[];
    terms: FileIn | null;
    current: FileIn | null;
    /** 16 bytes, or null for a plain pack. */
    salt: Uint8Array | null;
  }
  | { type: 'preview'; text: string }
  /** The downloads for the last pack built: the pack URL ('' for inline), Firefox's .xpi URL, other settings, the profile's label. */
  | { type: 'downloads'; url: string; installUrl: string; extra: Settings; org: string };

/** One download: its id, file name and contents (made here, so the page never copies a large pack). */
export interface Download { id: 'pack' | 'sha256' | 'google' | 'windows' | 'linux' | 'macos' | 'firefox' | 'inline'; name: string; blob: Blob }

/** What the worker answers. */
export type Reply =
  | { type: 'ready' }
  | { type: 'register'; schools: { urn: string | null; name: string; trust: string | null }[] }
  | { type: 'progress'; progress: BuildProgress }
  | {
    type: 'built';
    /** The pack's summary; its JSON stays in the worker (see `downloads`). */
    built: Omit<BuiltPack, 'json'>;
    sha256: string;
    diff: ReturnType<typeof diffPacks> | null;
    /** Why the current pack could not be compared (its file, line and reason), or null. */
    diffError: string | null;
    check: ReturnType<typeof checkPack>;
  }
  | { type: 'preview'; findings: { category: string; severity: string; text: string; message: string }[] }
  | { type: 'downloads'; downloads: Download[] }
  | { type: 'error'; for: Request['type']; message: string };

const post = (r: Reply) => (self as unknown as Worker).postMessage(r);

initSync({ module: wasmBytes });
let engine: Engine | null = null;
/** The last pack built and its SHA-256 (hex). */
let last: { built: BuiltPack; sha256: string } | null = null;

/** Every download for the last pack: the pack, its hash, and the policy for each route. */
function downloads(req: Extract<Request, { type: 'downloads' }>): Download[] {
  if (!last) return [];
  const { built, sha256 } = last;
  const settings = packSettings(req.extra, { json: built.json, sha256, url: req.url });
  const file = `${built.id}.pack.json`;
  const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
  const json = 'application/json';
  const make = (id: Download['id'], name: string, text: string, type = json): Download => ({ id, name, blob: new Blob([text], { type }) });
  // Registry Editor reads a version 5.00 .reg file as UTF-16LE with a byte order mark (names with accents survive).
  const utf16 = (text: string) => {
    const units = new Uint16Array(text.length + 1);
    units[0] = 0xfeff;
    for (let i = 0; i < text.length; i++) units[i + 1] = text.charCodeAt(i);
    return new Uint8Array(units.buffer);
  };
  return [
    make('pack', file, built.json),
    make('sha256', `${file}.sha256`, `${sha256}  ${file}\n`, 'text/plain'),
    make('google', 'postsafe-google-admin-console.json', googleAdminConsole(settings)),
    { id: 'windows', name: 'postsafe-chrome-edge.reg', blob: new Blob([utf16(windowsReg(settings))], { type: 'text/plain' }) },
    make('linux', 'postsafe-linux-policy.json', linuxPolicy(settings)),
    make('macos', 'postsafe.mobileconfig', macosMobileconfig(settings, req.org, random), 'application/x-apple-aspen-config'),
    make('firefox', 'policies.json', firefoxPolicies(settings, req.installUrl || 'https://')),
    make('inline', 'postsafe-packsJson.json', inlinePacksJson(req.extra, built.json)),
  ];
}

async function sha256Hex(text: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function handle(req: Request): Promise<void> {
  if (req.type === 'register') {
    post({ type: 'register', schools: registerSchools(req.file.name, req.file.bytes) });
    return;
  }
  if (req.type === 'downloads') {
    post({ type: 'downloads', downloads: downloads(req) });
    return;
  }
  if (req.type === 'preview') {
    if (!engine) return;
    const r = engine.scan({ body: req.text });
    post({ type: 'preview', findings: r.findings.map((f) => ({ category: f.category, severity: f.severity, text: f.text, message: f.message })) });
    return;
  }
  const b = new PackBuilder(req.name, req.todayUnixDays);
  try {
    if (req.register) b.setSchools(req.register.name, req.register.bytes);
    if (req.trust) b.setTrust(req.trust);
    for (const u of req.urns) b.addUrn(u);
    for (const f of req.pupils) b.addPupils(f.name, f.bytes);
    for (const f of req.staff) b.addStaff(f.name, f.bytes);
    if (req.terms) b.setTerms(req.terms.name, req.terms.bytes);
    if (req.salt) b.setSalt(req.salt);
    const built = b.build('the new pack', (p) => post({ type: 'progress', progress: p }));
    const check = checkPack('the new pack', built.json, req.todayUnixDays);
    const current = req.current ? new TextDecoder().decode(req.current.bytes) : null;
    // A current pack that does not load does not stop the build: the page says why there is no diff.
    let diff: ReturnType<typeof diffPacks> | null = null;
    let diffError: string | null = null;
    if (current !== null && req.current) {
      try {
        diff = diffPacks(req.current.name, current, 'the new pack', built.json);
      } catch (e) {
        diffError = e instanceof Error ? e.message : String(e);
      }
    }
    engine?.free();
    engine = null;
    last = null;
    engine = new Engine([built.json], true);
    const sha256 = await sha256Hex(built.json);
    last = { built, sha256 };
    const { json: _json, ...summary } = built;
    post({ type: 'built', built: summary, sha256, diff, diffError, check });
  } finally {
    b.free();
  }
}

self.onmessage = (e: MessageEvent<Request>) => {
  handle(e.data).catch((err: unknown) => {
    post({ type: 'error', for: e.data.type, message: err instanceof Error ? err.message : String(err) });
  });
};
post({ type: 'ready' });
