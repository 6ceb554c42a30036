/**
 * Photos attached to a post (issue 16): what the picture's file gives away before it
 * is posted. Images the teacher picks (a file input), drops or pastes into the page
 * are read here as bytes (File/Blob, never a request), sent to the service worker
 * over the extension's message protocol in parts of PHOTO_PART_BYTES (`photoPart`: a
 * message is at most 64 MB of JSON in Chromium, and a photo may be 50 MB), and checked
 * by the engine (`checkPhoto`: GPS position, tagged people, titles, captions, keywords,
 * owner). The bytes never leave the device, and nothing in the page is changed.
 *
 * Each photo belongs to one post: the composer (content.ts `postRootFor`) of the file
 * input, drop target or paste target it came through, or none (then any post).
 *
 * The hook is narrow: `watchPhotos(win, on, rootOf)` starts listening;
 * `photosHold(root)` says (synchronously) whether what is known holds the post under
 * `root`; `photoReports(root)` waits for its checks under way; `forgetPhotos(root)`
 * once that post has gone; `photoItem()` draws a photo's card (thumbnail, and which
 * field said what) for the held-post dialog.
 *
 * People in the picture: the picture also goes, as a separate request (`countFaces`),
 * to a small face detector in an extension page (faces.ts, faces-host.ts): the file
 * itself up to FACE_DIRECT_BYTES, else a copy scaled down here. Faces found
 * hold the post with the policy's reminder (photos of pupils belong on the school's
 * account, with consent); a picture that could not be checked for people holds it too
 * and says so; no face adds nothing.
 */
import type { PhotoReport } from 'postsafe-wasm';
import { FACE_MAX_SIDE, holdsPost, MAX_PHOTO_BYTES, PHOTO_PART_BYTES, send, type FaceCount } from './protocol';
import { findingText, t, uiLang } from './i18n';

export { MAX_PHOTO_BYTES };
/**
 * A photo larger than this (bytes) goes to the face detector as a copy scaled down
 * here to FACE_MAX_SIDE px on its longer side (PNG), not as itself: the detector scales
 * every picture down to that size anyway (protocol.ts FACE_MAX_SIDE), so it sees the same
 * pixels, and a 50 MB photo does not cross the messages a second time.
 */
export const FACE_DIRECT_BYTES = 4 * 1024 * 1024;
/** Photos attached more than this long ago (ms) are forgotten: they belong to another post. */
const FORGET_AFTER_MS = 60 * 60 * 1000;
/**
 * The longest Post waits for the checks of attached photos, in ms: a 50 MB photo's
 * details are read in seconds and the face detector answers within 30 s (faces-host.ts
 * FACE_TIMEOUT_MS). A check that has not answered by then (a background that never
 * replies) is shown as not checked, which holds the post, instead of "Checking" for ever.
 */
const PHOTO_WAIT_MS = 45_000;
const IMAGE_NAME = /\.(jpe?g|png|heic|heif|webp|avif)$/i;

/**
 * One attached photo: its name, a thumbnail URL (blob:, this page only), the engine's
 * report once it is in, and the face count once it is in (`faces`; null until then).
 * `pending` resolves once both are in.
 */
export interface AttachedPhoto {
  name: string;
  /**
   * The post it belongs to: the composer root (content.ts postRootFor) of the file
   * input, drop target or paste target it came through; null when it came through none
   * (it then counts for any post). `source` is that element, to find the root again if
   * the site redraws its composer.
   */
  root: Element | null;
  source: Element | null;
  thumb: string | null;
  at: number;
  report: PhotoReport | null;
  faces: FaceCount | null;
  /** Over 50 MB: neither read nor counted; its card says so once (not also "could not check for people"). */
  tooLarge: boolean;
  pending: Promise<PhotoReport>;
}

const photos: AttachedPhoto[] = [];

function isImage(f: File): boolean {
  return f.type.startsWith('image/') || IMAGE_NAME.test(f.name);
}

function unreadable(name: string, problem: string): PhotoReport {
  return { name, format: null, texts: [], position: null, taken: null, findings: [], problem };
}

/**
 * A blob's bytes as base64 (a message is JSON in Chromium: a typed array would not
 * survive it), read as a data: URL. A string, because in Firefox the File and what the
 * page's FileReader makes of it belong to the page (Xrays): a typed array over the
 * page's buffer is refused, a string is not.
 */
function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const url = String(r.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    r.onerror = () => { reject(new Error('could not read the file')); };
    r.readAsDataURL(file);
  });
}

/** Uploads one at a time from this page: the background keeps one a tab. */
let uploading: Promise<unknown> = Promise.resolve();

/**
 * Send a file to the background in parts of PHOTO_PART_BYTES (`photoPart`), then ask
 * for its check (`checkPhoto`): one message in Chromium is at most 64 MB of JSON, and a
 * 50 MB photo is 67 MB as base64. Each part is read from the file only when it is sent.
 */
function uploadAndCheck(file: File, name: string): Promise<PhotoReport> {
  const once = async (): Promise<PhotoReport | null> => {
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    for (let at = 0; at === 0 || at < file.size; at += PHOTO_PART_BYTES) {
      const data = await readBase64(file.slice(at, Math.min(file.size, at + PHOTO_PART_BYTES)));
      const res = await send({ kind: 'photoPart', id, size: file.size, at, data });
      if (res.kind !== 'ok') return null;
      if (file.size === 0) break;
    }
    const res = await send({ kind: 'checkPhoto', name, id });
    return res.kind === 'photoResult' ? res.report : null;
  };
  // Sent once more if it did not arrive whole (the worker restarted, another frame's photo took its place).
  const run = async (): Promise<PhotoReport> => (await once()) ?? (await once()) ?? unreadable(name, t('photoNotChecked'));
  const done = uploading.then(run, run);
  uploading = done.catch(() => {});
  return done;
}

/**
 * The picture the face detector is given, as base64: the file itself when it is small;
 * else a copy scaled down here to FACE_MAX_SIDE px (PNG). Rejects when the browser cannot
 * decode it.
 */
async function faceImage(file: File): Promise<string> {
  if (file.size <= FACE_DIRECT_BYTES) return readBase64(file);
  const bmp = await createImageBitmap(file);
  try {
    const scale = Math.min(1, FACE_MAX_SIDE / Math.max(bmp.width, bmp.height));
    const w = Math.max(1, Math.round(bmp.width * scale));
    const h = Math.max(1, Math.round(bmp.height * scale));
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bmp, 0, 0, w, h);
    return await readBase64(await canvas.convertToBlob({ type: 'image/png' }));
  } finally {
    bmp.close();
  }
}

/** A face count that did not happen (the file was not read): the card says the picture was not checked for people. */
function notCounted(detail: string): FaceCount {
  return { ok: false, problem: 'decode', detail };
}

/** Whether a face count holds the post: faces found, or the picture could not be checked for them. */
function facesHold(f: FaceCount | null): boolean {
  return !f || !f.ok || f.faces > 0;
}

/**
 * Read and check one file (its details, and the faces in it), for the post under
 * `root` (null: any post). A file over MAX_PHOTO_BYTES is not read: its card says it
 * is too large to check, and it holds the post.
 */
export function addPhoto(file: File, root: Element | null = null, source: Element | null = null): AttachedPhoto {
  const name = file.name || 'image';
  let thumb: string | null = null;
  try { thumb = URL.createObjectURL(file); } catch { thumb = null; }
  const tooLarge = file.size > MAX_PHOTO_BYTES;
  const p: AttachedPhoto = { name, root, source, thumb, at: Date.now(), report: null, faces: null, tooLarge, pending: Promise.resolve(unreadable(name, '')) };
  const details = (tooLarge ? Promise.resolve(unreadable(name, t('photoTooLarge'))) : uploadAndCheck(file, name))
    .catch(() => unreadable(name, t('photoNotChecked')))
    .then((r) => { p.report = r; return r; });
  // People in the picture: a separate request (never instead of the details).
  const faces = (async (): Promise<FaceCount> => {
    if (tooLarge) return notCounted('over 50 MB');
    let data: string;
    try { data = await faceImage(file); } catch (e) { return notCounted(e instanceof Error ? e.message : String(e)); }
    const res = await send({ kind: 'countFaces', data });
    return res.kind === 'faceResult' ? res.result : notCounted(res.message);
  })().catch((e: unknown) => notCounted(String(e))).then((f) => { p.faces = f; return f; });
  p.pending = Promise.all([details, faces]).then(([r]) => r);
  photos.push(p);
  return p;
}

/** name, size, time: one file picked in an input fires both `input` and `change`. */
const recent = new Map<string, number>();

function addFiles(list: FileList | File[] | null | undefined, source: Element | null, rootOf: RootOf): void {
  const now = Date.now();
  for (let i = photos.length - 1; i >= 0; i--) if (now - photos[i]!.at > FORGET_AFTER_MS) drop(i);
  let root: Element | null | undefined;
  for (const [k, at] of recent) if (now - at > 2000) recent.delete(k);
  for (const f of Array.from(list ?? [])) {
    if (!isImage(f)) continue;
    const key = `${f.name}\u0000${f.size}\u0000${f.lastModified}`;
    if (recent.has(key)) continue;
    recent.set(key, now);
    root ??= source ? rootOf(source) : null;
    addPhoto(f, root, source);
  }
}

/** The post (composer root) an element of the page belongs to, or null (content.ts postRootFor). */
export type RootOf = (el: Element) => Element | null;

/**
 * Listen (capture phase, reading only) for images picked, dropped or pasted anywhere in
 * the page, while `on()` (Postsafe is on for this site): on a site it is off for, no
 * photo is read.
 */
export function watchPhotos(win: Window, on: () => boolean, rootOf: RootOf): void {
  lastRootOf = rootOf;
  // `input` is composed (it reaches us from a file input inside a shadow root); `change`
  // is not, but some browsers fire only it. A file seen by both is read once.
  const picked = (e: Event) => {
    const input = e.composedPath()[0];
    if (on() && input instanceof HTMLInputElement && input.type === 'file') addFiles(input.files, input, rootOf);
  };
  // The element dropped on or pasted into (inside a shadow root too): its post.
  const target = (e: Event) => { const t = e.composedPath()[0]; return t instanceof Element ? t : t instanceof Node ? t.parentElement : null; };
  win.addEventListener('input', picked, true);
  win.addEventListener('change', picked, true);
  win.addEventListener('drop', (e) => { if (on()) addFiles(e.dataTransfer?.files, target(e), rootOf); }, true);
  win.addEventListener('paste', (e) => { if (on()) addFiles(e.clipboardData?.files, target(e), rootOf); }, true);
}

let lastRootOf: RootOf | null = null;

/** Forget photo `i` (its thumbnail URL too). */
function drop(i: number): void {
  const [p] = photos.splice(i, 1);
  if (p?.thumb) URL.revokeObjectURL(p.thumb);
}

/** Whether photo `p` holds a post: a finding that holds, a file not fully read, faces found or not counted, or a check still running. */
function holds(p: AttachedPhoto): boolean {
  return !p.report || p.report.problem != null || p.report.findings.some(holdsPost) || facesHold(p.faces);
}

/**
 * The photos of the post under `root` (null: a post with no composer found around it,
 * which gets every photo): those attached through it, or through an element inside it
 * or around it, and those attached through no composer. A photo whose composer is gone
 * from the page is found again through its source element; else, since a site that
 * mounts its composer anew (the attachment kept) cannot be told from a draft thrown
 * away, a photo that holds counts for every post from then on (never dropped
 * unchecked) and one that does not is forgotten.
 */
function photosOf(root: Element | null, rootOf: RootOf | null = lastRootOf): AttachedPhoto[] {
  for (let i = photos.length - 1; i >= 0; i--) {
    const p = photos[i]!;
    if (!p.root || p.root.isConnected) continue;
    const again = p.source?.isConnected && rootOf ? rootOf(p.source) : null;
    if (again) p.root = again;
    else if (holds(p)) p.root = null;
    else drop(i);
  }
  if (!root) return [...photos];
  return photos.filter((p) => !p.root || p.root === root || root.contains(p.root) || p.root.contains(root));
}

/** Whether a photo known so far holds the post under `root` (see `holds`). */
export function photosHold(root: Element | null): boolean {
  return photosOf(root).some(holds);
}

/**
 * The photos attached for the post under `root`, each with its report: waits for the
 * checks under way, at most PHOTO_WAIT_MS; a photo whose details have not come by then
 * is reported as not checked (its check may still finish: the next Post sees it).
 */
export async function photoReports(root: Element | null): Promise<AttachedPhoto[]> {
  const mine = photosOf(root);
  let timer = 0;
  const late = new Promise<void>((r) => { timer = setTimeout(r, PHOTO_WAIT_MS) as unknown as number; });
  await Promise.race([Promise.all(mine.map((p) => p.pending)), late]);
  clearTimeout(timer);
  for (const p of mine) p.report ??= unreadable(p.name, t('photoNotChecked'));
  return mine;
}

/** Whether any photo has a finding, faces, or could not be read or checked for people (the dialog lists it). */
export function photosToShow(list: AttachedPhoto[]): AttachedPhoto[] {
  return list.filter((p) => p.report && (p.report.findings.length || p.report.problem || facesHold(p.faces)));
}

/** The post under `root` has gone: its photos (and those attached through no composer) are forgotten. */
export function forgetPhotos(root: Element | null): void {
  const mine = new Set(photosOf(root));
  for (let i = photos.length - 1; i >= 0; i--) if (mine.has(photos[i]!)) drop(i);
}

/** CSS of a photo's card in the held-post dialog. */
export const PHOTO_CSS = `
dialog.hold li.photo { display: grid; grid-template-columns: 64px 1fr; gap: 4px 10px; }
dialog.hold li.photo img { width: 64px; height: 64px; object-fit: cover; border-radius: 4px; grid-row: span 20; background: #e5e7eb; }
dialog.hold li.photo .said { margin-top: 4px; }
dialog.hold li.photo .field { font-weight: 700; }
dialog.hold .phone { color: #374151; font-size: 13px; margin-top: 4px; }
`;

/** A photo's card: thumbnail, the file name, then each finding with the field it is in. */
export function photoItem(doc: Document, p: AttachedPhoto): HTMLElement {
  const el = (tag: string, cls?: string, text?: string) => {
    const e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const r = p.report!;
  const li = el('li', 'photo');
  li.dataset.postsafe = 'photo';
  const worst = r.findings.some((f) => f.severity === 'block') ? 'block' : r.findings.some(holdsPost) || r.problem || facesHold(p.faces) ? 'warn' : 'info';
  li.dataset.severity = worst;
  li.dataset.category = 'image';
  const img = el('img') as HTMLImageElement;
  img.alt = '';
  if (p.thumb) img.src = p.thumb;
  li.append(img, el('div', 'cat', `${t('category_image')} · ${t('photoOf', [p.name])}`));
  if (r.problem) li.append(el('div', 'message', r.problem));
  for (const f of r.findings) {
    const said = f.nearSchool && f.metres != null
      ? { ...findingText(f), message: t('photoNearSchool', [String(f.metres), f.nearSchool]), lang: uiLang() }
      : findingText(f);
    const row = el('div', 'said');
    row.dataset.field = f.photoField;
    row.append(el('span', 'field', `${f.label}: `), el('span', 'words', `“${f.text}”`));
    const message = el('div', 'message', said.message);
    const advice = el('div', 'advice', f.photoField === 'location' ? t('photoLocationAdvice') : said.advice);
    message.lang = said.lang;
    row.append(message, advice);
    li.append(row);
  }
  if (!p.tooLarge) li.append(...peopleRow(doc, p.faces));
  return li;
}

/**
 * The card's row on people in the picture (policy category `image`: photographs of
 * pupils and their families are not for personal accounts; pictures of anyone in the
 * school community need their consent): faces found, with the policy's reminder; or
 * that the picture could not be checked for people. Nothing when no face was found.
 */
function peopleRow(doc: Document, f: FaceCount | null): HTMLElement[] {
  if (f?.ok && f.faces === 0) return [];
  const el = (tag: string, cls: string, text: string) => {
    const e = doc.createElement(tag);
    e.className = cls;
    e.textContent = text;
    e.lang = uiLang();
    return e;
  };
  const row = doc.createElement('div');
  row.className = 'said';
  row.dataset.field = 'faces';
  if (f?.ok) {
    row.dataset.faces = String(f.faces);
    row.append(
      el('span', 'field', `${t('photoPeopleField')}: `),
      el('span', 'words', f.faces === 1 ? t('photoPeopleOne') : t('photoPeopleMany', [String(f.faces)])),
      el('div', 'message', t('photoPeople')),
      el('div', 'advice', t('photoPeopleAdvice')),
    );
  } else {
    row.dataset.faces = 'unchecked';
    row.append(el('div', 'message', t('photoPeopleNotChecked')));
  }
  return [row];
}
