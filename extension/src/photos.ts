/**
 * Photos attached to a post (issue 16): what the picture's file gives away before it
 * is posted. Images the teacher picks (a file input), drops or pastes into the page
 * are read here as bytes (File/Blob, never a request), sent to the service worker
 * over the extension's message protocol, and checked by the engine (`checkPhoto`:
 * GPS position, tagged people, titles, captions, keywords, owner). The bytes never
 * leave the device, and nothing in the page is changed.
 *
 * The hook is narrow: `watchPhotos(win)` starts listening; `photosHold()` says
 * (synchronously) whether what is known holds the post; `photoReports()` waits for
 * the checks under way; `forgetPhotos()` once the post has gone; `photoItems()` draws
 * a photo's card (thumbnail, and which field said what) for the held-post dialog.
 *
 * People in the picture: the same bytes also go, as a separate request (`countFaces`),
 * to a small face detector in an extension page (faces.ts, faces-host.ts). Faces found
 * hold the post with the policy's reminder (photos of pupils belong on the school's
 * account, with consent); a picture that could not be checked for people holds it too
 * and says so; no face adds nothing.
 */
import type { PhotoReport } from 'postsafe-wasm';
import { holdsPost, send, type FaceCount } from './protocol';
import { findingText, t, uiLang } from './i18n';

/** The largest photo read (bytes); the engine's limit too. Past it the card says it was not read. */
export const MAX_PHOTO_BYTES = 50 * 1024 * 1024;
/** Photos attached more than this long ago (ms) are forgotten: they belong to another post. */
const FORGET_AFTER_MS = 60 * 60 * 1000;
const IMAGE_NAME = /\.(jpe?g|png|heic|heif|webp|avif)$/i;

/**
 * One attached photo: its name, a thumbnail URL (blob:, this page only), the engine's
 * report once it is in, and the face count once it is in (`faces`; null until then).
 * `pending` resolves once both are in.
 */
export interface AttachedPhoto {
  name: string;
  thumb: string | null;
  at: number;
  report: PhotoReport | null;
  faces: FaceCount | null;
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
 * The file's bytes as base64 (a message is JSON in Chromium: a typed array would not
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

/** A face count that did not happen (the file was not read): the card says the picture was not checked for people. */
function notCounted(detail: string): FaceCount {
  return { ok: false, problem: 'decode', detail };
}

/** Whether a face count holds the post: faces found, or the picture could not be checked for them. */
function facesHold(f: FaceCount | null): boolean {
  return !f || !f.ok || f.faces > 0;
}

/** Read and check one file (its details, and the faces in it); its report is kept for the next Post. */
export function addPhoto(file: File): AttachedPhoto {
  const name = file.name || 'image';
  let thumb: string | null = null;
  try { thumb = URL.createObjectURL(file); } catch { thumb = null; }
  const p: AttachedPhoto = { name, thumb, at: Date.now(), report: null, faces: null, pending: Promise.resolve(unreadable(name, '')) };
  const data: Promise<string | null> = file.size > MAX_PHOTO_BYTES ? Promise.resolve(null) : readBase64(file).catch(() => null);
  const details = (async () => {
    if (file.size > MAX_PHOTO_BYTES) return unreadable(name, t('photoTooLarge'));
    try {
      const bytes = await data;
      if (bytes === null) return unreadable(name, t('photoNotChecked'));
      const res = await send({ kind: 'checkPhoto', name, data: bytes });
      if (res.kind === 'photoResult') return res.report;
      return unreadable(name, t('photoNotChecked'));
    } catch {
      return unreadable(name, t('photoNotChecked'));
    }
  })().then((r) => { p.report = r; return r; });
  // People in the picture: a separate request, after the same read (never instead of the details).
  const faces = (async (): Promise<FaceCount> => {
    const bytes = await data;
    if (bytes === null) return notCounted(file.size > MAX_PHOTO_BYTES ? 'over 50 MB' : 'could not read the file');
    const res = await send({ kind: 'countFaces', data: bytes });
    return res.kind === 'faceResult' ? res.result : notCounted(res.message);
  })().catch((e: unknown) => notCounted(String(e))).then((f) => { p.faces = f; return f; });
  p.pending = Promise.all([details, faces]).then(([r]) => r);
  photos.push(p);
  return p;
}

/** name, size, time: one file picked in an input fires both `input` and `change`. */
const recent = new Map<string, number>();

function addFiles(list: FileList | File[] | null | undefined): void {
  const now = Date.now();
  for (let i = photos.length - 1; i >= 0; i--) if (now - photos[i]!.at > FORGET_AFTER_MS) photos.splice(i, 1);
  for (const [k, at] of recent) if (now - at > 2000) recent.delete(k);
  for (const f of Array.from(list ?? [])) {
    if (!isImage(f)) continue;
    const key = `${f.name}\u0000${f.size}\u0000${f.lastModified}`;
    if (recent.has(key)) continue;
    recent.set(key, now);
    addPhoto(f);
  }
}

/**
 * Listen (capture phase, reading only) for images picked, dropped or pasted anywhere in
 * the page, while `on()` (Postsafe is on for this site): on a site it is off for, no
 * photo is read.
 */
export function watchPhotos(win: Window, on: () => boolean): void {
  // `input` is composed (it reaches us from a file input inside a shadow root); `change`
  // is not, but some browsers fire only it. A file seen by both is read once.
  const picked = (e: Event) => {
    const input = e.composedPath()[0];
    if (on() && input instanceof HTMLInputElement && input.type === 'file') addFiles(input.files);
  };
  win.addEventListener('input', picked, true);
  win.addEventListener('change', picked, true);
  win.addEventListener('drop', (e) => { if (on()) addFiles(e.dataTransfer?.files); }, true);
  win.addEventListener('paste', (e) => { if (on()) addFiles(e.clipboardData?.files); }, true);
}

/**
 * Whether a photo known so far holds the post: a finding that holds, a file not fully
 * read, faces found or not counted, or a check still running.
 */
export function photosHold(): boolean {
  return photos.some((p) => !p.report || p.report.problem != null || p.report.findings.some(holdsPost) || facesHold(p.faces));
}

/** The photos attached for this post, each with its report (waits for checks under way). */
export async function photoReports(): Promise<AttachedPhoto[]> {
  await Promise.all(photos.map((p) => p.pending));
  return [...photos];
}

/** Whether any photo has a finding, faces, or could not be read or checked for people (the dialog lists it). */
export function photosToShow(list: AttachedPhoto[]): AttachedPhoto[] {
  return list.filter((p) => p.report && (p.report.findings.length || p.report.problem || facesHold(p.faces)));
}

/** The post has gone (or the page is leaving): its photos are forgotten. */
export function forgetPhotos(): void {
  for (const p of photos.splice(0)) if (p.thumb) URL.revokeObjectURL(p.thumb);
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
  li.append(...peopleRow(doc, p.faces));
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
