/**
 * People in an attached photo (issue 16, policy category `image`): how many faces a
 * small detector finds in the picture, on the device.
 *
 * The detector is the tiny face detector of `@vladmandic/face-api` (MIT; a Tiny YOLO v2
 * network, 190 KB of weights shipped in that npm package's model/ folder), run by the
 * TensorFlow.js bundled in the same package on its WebAssembly backend (the .wasm
 * files are those face-api's TensorFlow.js was built against, shipped in npm
 * `@tensorflow/tfjs-backend-wasm`), or on its plain JavaScript (cpu) backend where the
 * WebAssembly one cannot start. Neither evaluates code: both run under the extension's
 * `script-src 'self' 'wasm-unsafe-eval'`. Library, weights and .wasm files are bundled
 * into the extension (extension/build.mjs copies them to `faces/`); nothing is fetched
 * from anywhere but the extension's own files.
 *
 * This module is its own bundle (`faces.js`), imported only by the detector's page
 * (offscreen.html), which the background opens when a photo is first attached: the
 * offscreen document in Chromium, a frame of the background page in Firefox
 * (faces-host.ts). Never in a content script, never on a server.
 * tests/e2e/bench-faces.mjs runs this very bundle over a set of images.
 */
import * as faceapi from '@vladmandic/face-api';
import { FACE_MAX_SIDE, fromBase64 } from './protocol';

/** Pictures larger than this on their longer side (pixels) are scaled down before detection (shared with photos.ts). */
export { FACE_MAX_SIDE };

/** The detector's input size (pixels, square; a multiple of 32): the picture is scaled to fit it. */
export const FACE_INPUT_SIZE = 416;
/**
 * The second look, at this input size, when the first finds no face: a face that fills
 * the picture (a close-up, a selfie) is missed at 416 and found at 160 (the bench's
 * close-up crops: 7 of 10 at 416 alone, 10 of 10 with this), at 15-30 ms more, and only
 * for pictures with no face found at 416.
 */
export const FACE_CLOSE_UP_SIZE = 160;
/** The lowest detection score (0–1) counted as a face. */
export const FACE_SCORE_THRESHOLD = 0.5;

/**
 * The outcome of a face count. `faces`: detections at or above FACE_SCORE_THRESHOLD;
 * `ms`: wall-clock milliseconds of decode, scale and detection (not the model's first
 * load); `width`/`height`: the picture's own size in pixels. A failure says which step
 * failed: 'decode' (the browser cannot decode the image: corrupt, truncated, or a
 * format it does not read, such as HEIC in Chromium), 'model' (the detector did not
 * load), 'detect' (it failed on this picture), 'timeout' (no answer in time).
 */
export type FaceCount =
  | { ok: true; faces: number; ms: number; width: number; height: number; backend: string }
  | { ok: false; problem: 'decode' | 'model' | 'detect' | 'timeout'; detail: string };

let loading: Promise<string> | null = null;

/**
 * Start the detector once: backend (WebAssembly, else cpu) and the tiny face
 * detector's weights, both from `base` (the extension's `faces/` folder, a URL ending
 * in '/'). Resolves to the backend's name. A failed load is forgotten, so the next
 * photo tries again.
 */
export function loadDetector(base: string): Promise<string> {
  loading ??= (async () => {
    const tf = faceapi.tf as unknown as {
      setBackend(name: string): Promise<boolean>;
      ready(): Promise<void>;
      getBackend(): string;
      setWasmPaths(prefix: string): void;
      env(): { set(flag: string, value: unknown): void };
    };
    let backend = 'cpu';
    try {
      // One thread: the threaded build would need SharedArrayBuffer (a cross-origin
      // isolated page) and a worker made from a blob, neither of which an extension page has.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      tf.setWasmPaths(base);
      if (await tf.setBackend('wasm')) backend = 'wasm';
    } catch {
      backend = 'cpu';
    }
    if (backend !== 'wasm' && !(await tf.setBackend('cpu'))) throw new Error('no TensorFlow.js backend');
    await tf.ready();
    // face-api's URL handling keeps only http(s):// schemes: the weights are named by
    // their path on this page's own origin (the extension's), which it leaves alone.
    await faceapi.nets.tinyFaceDetector.loadFromUri(new URL(base).pathname);
    return tf.getBackend();
  })();
  loading.catch(() => { loading = null; });
  return loading;
}

/** The picture decoded and, if its longer side is over FACE_MAX_SIDE, scaled down to it: its pixels and its own size. */
async function pixels(blob: Blob): Promise<{ data: ImageData; width: number; height: number }> {
  const bmp = await createImageBitmap(blob);
  try {
    const { width, height } = bmp;
    if (!width || !height) throw new Error('an image with no pixels');
    const scale = Math.min(1, FACE_MAX_SIDE / Math.max(width, height));
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2D canvas');
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bmp, 0, 0, w, h);
    return { data: ctx.getImageData(0, 0, w, h), width, height };
  } finally {
    bmp.close();
  }
}

/**
 * Count the faces in an image file (any format the browser decodes: JPEG, PNG, WebP,
 * GIF, AVIF; HEIC only where the browser reads it). Never throws: a failure is a
 * FaceCount with `ok: false`.
 */
export async function countFaces(blob: Blob, base: string, tune: { inputSize?: number; scoreThreshold?: number } = {}): Promise<FaceCount> {
  // The picture first: one the browser cannot decode needs no detector.
  const start = performance.now();
  let img: { data: ImageData; width: number; height: number };
  try {
    img = await pixels(blob);
  } catch (e) {
    return { ok: false, problem: 'decode', detail: e instanceof Error ? e.message : String(e) };
  }
  const decoded = performance.now();
  let backend: string;
  try {
    backend = await loadDetector(base);
  } catch (e) {
    return { ok: false, problem: 'model', detail: e instanceof Error ? e.message : String(e) };
  }
  // `ms` leaves out the detector's first load (loadDetector resolves at once after it).
  const loaded = performance.now();
  try {
    const input = faceapi.tf.browser.fromPixels(img.data);
    try {
      let faces = 0;
      for (const inputSize of tune.inputSize ? [tune.inputSize] : [FACE_INPUT_SIZE, FACE_CLOSE_UP_SIZE]) {
        const found = await faceapi.detectAllFaces(input as unknown as faceapi.TNetInput, new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: tune.scoreThreshold ?? FACE_SCORE_THRESHOLD }));
        faces = found.length;
        if (faces) break;
      }
      return { ok: true, faces, ms: Math.round(performance.now() - loaded + (decoded - start)), width: img.width, height: img.height, backend };
    } finally {
      input.dispose();
    }
  } catch (e) {
    return { ok: false, problem: 'detect', detail: e instanceof Error ? e.message : String(e) };
  }
}

/** countFaces over an image's bytes as base64 (as the message protocol carries them). */
export function countFacesBase64(data: string, base: string): Promise<FaceCount> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = fromBase64(data);
  } catch (e) {
    return Promise.resolve({ ok: false, problem: 'decode', detail: e instanceof Error ? e.message : String(e) });
  }
  return countFaces(new Blob([bytes]), base);
}
