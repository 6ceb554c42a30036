/**
 * One bounded pack download: the only network request the extension makes (a pack
 * URL from the managed policy). Bounded in every way a server could abuse:
 *
 * - bytes: at most `maxBytes` (the engine's own pack limit, 64 MiB) are read; a larger
 *   `Content-Length` is refused before the body, a longer body is cut off as it arrives;
 * - time: no byte for `stallMs` (a hung server) or the whole download past `totalMs`
 *   aborts it;
 * - where: `https://` only (plain `http://` to this machine only in the test build), and
 *   the address reached after redirects must be https:// on one of `allowedHosts` (the
 *   hosts of the policy's pack URLs); otherwise the body is not read.
 *
 * No cookies, no referrer, no cache. Errors are `DownloadError`s whose message is one
 * plain sentence for the admin (shown on the self-test page and popup).
 */
import { downloadable, hostOf } from './policy';

/** The limits of a pack download. */
export const DOWNLOAD_LIMITS = {
  /** Largest pack read, in bytes (the engine refuses larger documents anyway). */
  maxBytes: 64 * 1024 * 1024,
  /** Longest wait for the next bytes (headers included), in milliseconds. */
  stallMs: 20_000,
  /** Longest whole download, in milliseconds. */
  totalMs: 5 * 60_000,
} as const;

export interface DownloadOptions {
  /** Hosts (`host[:port]`) a download may end on after redirects: the policy's pack URL hosts. */
  allowedHosts: string[];
  /** Accept `http://` to 127.0.0.1 and localhost (the test build only). */
  httpLoopback: boolean;
  maxBytes?: number;
  stallMs?: number;
  totalMs?: number;
}

/** Why a download was refused or failed, in one sentence for the admin. */
export class DownloadError extends Error {
  override name = 'DownloadError';
}

const MIB = 1024 * 1024;

/** Downloads `url` within the limits; resolves to its bytes, or rejects with a `DownloadError`. */
export async function download(url: string, opts: DownloadOptions): Promise<Uint8Array<ArrayBuffer>> {
  const maxBytes = opts.maxBytes ?? DOWNLOAD_LIMITS.maxBytes;
  const stallMs = opts.stallMs ?? DOWNLOAD_LIMITS.stallMs;
  const totalMs = opts.totalMs ?? DOWNLOAD_LIMITS.totalMs;
  if (!downloadable(url, opts.httpLoopback)) throw new DownloadError('only https:// addresses are downloaded');

  const ctl = new AbortController();
  let why: string | null = null;
  const abort = (reason: string) => { why ??= reason; ctl.abort(); };
  let stall = setTimeout(() => abort(`no answer for ${stallMs / 1000} seconds`), stallMs);
  const total = setTimeout(() => abort(`the download took longer than ${Math.round(totalMs / 60_000)} minutes`), totalMs);
  const alive = () => {
    clearTimeout(stall);
    stall = setTimeout(() => abort(`no data for ${stallMs / 1000} seconds`), stallMs);
  };
  const fail = (e: unknown): never => {
    if (e instanceof DownloadError) throw e;
    throw new DownloadError(why ?? (e instanceof Error ? e.message : String(e)));
  };
  try {
    const res = await fetch(url, {
      cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer', redirect: 'follow', signal: ctl.signal,
    }).catch(fail);
    alive();
    // Where the redirects ended: https:// on one of the policy's pack hosts, or nothing is read.
    const final = res.url || url;
    if (!downloadable(final, opts.httpLoopback) || !opts.allowedHosts.includes(hostOf(final))) {
      abort('redirected');
      throw new DownloadError(`redirected to ${hostOf(final) || final}, which is not the host of a pack address in the policy`);
    }
    if (!res.ok) { abort('status'); throw new DownloadError(`the server answered HTTP ${res.status}`); }
    const over = () => new DownloadError(`the pack is larger than ${maxBytes / MIB} MiB, the most Postsafe reads`);
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) { abort('too large'); throw over(); }
    if (!res.body) return new Uint8Array(await res.arrayBuffer().catch(fail));
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read().catch(fail);
      if (done) break;
      alive();
      size += value.byteLength;
      if (size > maxBytes) {
        abort('too large');
        await reader.cancel().catch(() => {});
        throw over();
      }
      chunks.push(value);
    }
    const out = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) { out.set(c, at); at += c.byteLength; }
    return out;
  } finally {
    clearTimeout(stall);
    clearTimeout(total);
  }
}
