/**
 * The admin page's Web Worker: it holds the WebAssembly engine and does every heavy
 * step (reading the register, building, hashing, checking, diffing, SHA-256, the sample
 * draft's findings) so the page never freezes, even for a 30,000-pupil trust. The
 * engine's bytes are bundled into this script (esbuild's binary loader), so it works
 * from a blob: URL on a page opened from disk, with no request at all.
 */
import wasmBytes from 'postsafe-wasm-bytes';
import { Engine, PackBuilder, checkPack, diffPacks, initSync, registerSchools } from 'postsafe-wasm';
import type { BuiltPack, BuildProgress } from 'postsafe-wasm';

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
  | { type: 'preview'; text: string };

/** What the worker answers. */
export type Reply =
  | { type: 'ready' }
  | { type: 'register'; schools: { urn: string | null; name: string; trust: string | null }[] }
  | { type: 'progress'; progress: BuildProgress }
  | {
    type: 'built';
    built: BuiltPack;
    sha256: string;
    diff: ReturnType<typeof diffPacks> | null;
    check: ReturnType<typeof checkPack>;
  }
  | { type: 'preview'; findings: { category: string; severity: string; text: string; message: string }[] }
  | { type: 'error'; for: Request['type']; message: string };

const post = (r: Reply) => (self as unknown as Worker).postMessage(r);

initSync({ module: wasmBytes });
let engine: Engine | null = null;

async function sha256Hex(text: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function handle(req: Request): Promise<void> {
  if (req.type === 'register') {
    post({ type: 'register', schools: registerSchools(req.file.name, req.file.bytes) });
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
    const diff = current !== null && req.current ? diffPacks(req.current.name, current, 'the new pack', built.json) : null;
    engine?.free();
    engine = null;
    engine = new Engine([built.json], true);
    post({ type: 'built', built, sha256: await sha256Hex(built.json), diff, check });
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
