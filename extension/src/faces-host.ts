/**
 * Where an attached photo's faces are counted (issue 16), seen from the background:
 * never in the service worker itself (it cannot load the detector lazily) and never in
 * a content script (a page's CSP may forbid WebAssembly), but in an extension page.
 *
 * - Chromium: an offscreen document (offscreen.html, reason BLOBS: it decodes the
 *   photo's bytes as a Blob into pixels), created when a photo is first attached and
 *   closing itself when idle (offscreen.ts). The request goes to it as a runtime
 *   message addressed to FACE_TARGET.
 * - Firefox (no chrome.offscreen): the background is itself a page with a DOM (an
 *   event page), so the same page, offscreen.html, is opened in a frame inside it on
 *   the first photo, and asked the same way. (A frame rather than import(): no code is
 *   loaded by a dynamic import anywhere in the extension.)
 *
 * Nothing of the detector is loaded before a photo is attached. The picture's bytes
 * (the file itself up to 4 MiB, else a copy the content script scaled down to the
 * 1024 px the detector looks at: photos.ts) go from the content script to here and on
 * to the detector, and are forgotten.
 */
import type { FaceCount } from './faces';

/** The address of a face-count request to the offscreen document. */
export const FACE_TARGET = 'postsafe-faces';
/** A face-count request to the offscreen document: the image's bytes as base64 (at most a few MB: photos.ts scales a large photo down). */
export interface FaceRequest { target: typeof FACE_TARGET; data: string }

/** How long a count may take, the detector's first load included (ms); past it the photo is "could not be checked for people". */
export const FACE_TIMEOUT_MS = 30_000;
const OFFSCREEN = 'offscreen.html';

let creating: Promise<void> | null = null;

async function offscreenOpen(): Promise<boolean> {
  const url = chrome.runtime.getURL(OFFSCREEN);
  const contexts = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT], documentUrls: [url] });
  return contexts.length > 0;
}

/**
 * The offscreen document, created if it is not open. One at a time: photos attached
 * together share one creation, and a create that fails because another has just opened
 * the document is no failure.
 */
async function ensureOffscreen(): Promise<void> {
  if (await offscreenOpen()) return;
  creating ??= chrome.offscreen.createDocument({
    url: OFFSCREEN,
    reasons: [chrome.offscreen.Reason.BLOBS],
    justification: 'Counts the faces in a photo the teacher attached, on the device: the photo is decoded from a Blob and read by a small face detector.',
  }).catch(async (e: unknown) => {
    if (!(await offscreenOpen())) throw e;
  }).finally(() => { creating = null; });
  await creating;
}

let frame: Promise<void> | null = null;

/** offscreen.html in a frame of the background page (Firefox), created once and loaded. */
function ensureFrame(): Promise<void> {
  frame ??= new Promise<void>((resolve, reject) => {
    const f = document.createElement('iframe');
    f.addEventListener('load', () => { resolve(); }, { once: true });
    f.addEventListener('error', () => { reject(new Error('the face detector page did not load')); }, { once: true });
    f.src = chrome.runtime.getURL(OFFSCREEN);
    (document.body ?? document.documentElement).append(f);
  });
  frame.catch(() => { frame = null; });
  return frame;
}

async function countInPage(data: string): Promise<FaceCount> {
  const ask = async () => (await chrome.runtime.sendMessage({ target: FACE_TARGET, data } satisfies FaceRequest)) as FaceCount | undefined;
  const none: FaceCount = { ok: false, problem: 'model', detail: 'no answer from the offscreen document' };
  if (typeof chrome.offscreen?.createDocument === 'function') {
    await ensureOffscreen();
    // The document closes itself when idle (offscreen.ts): closed between the look and
    // the message, nothing receives it. Opened again, it is asked once more.
    const first = await ask().catch(() => undefined);
    if (first) return first;
    await ensureOffscreen();
    return (await ask()) ?? none;
  }
  if (typeof document !== 'undefined') await ensureFrame();
  else return { ok: false, problem: 'model', detail: 'no extension page to count faces in' };
  return (await ask()) ?? none;
}

/**
 * Count the faces in an image (bytes as base64) in an extension page. Never throws: a
 * detector that does not load, or does not answer within FACE_TIMEOUT_MS, is a
 * FaceCount with `ok: false`.
 */
export async function countFacesOnDevice(data: string): Promise<FaceCount> {
  const run = countInPage(data)
    .catch((e: unknown): FaceCount => ({ ok: false, problem: 'model', detail: e instanceof Error ? e.message : String(e) }));
  let timer = 0;
  const late = new Promise<FaceCount>((resolve) => {
    timer = setTimeout(() => { resolve({ ok: false, problem: 'timeout', detail: `no answer in ${FACE_TIMEOUT_MS} ms` }); }, FACE_TIMEOUT_MS) as unknown as number;
  });
  try {
    return await Promise.race([run, late]);
  } finally {
    clearTimeout(timer);
  }
}
