// Face-count bench (issue 16, "people in the picture"): the extension's own detector
// (faces.js of the built extension: face-api's tiny face detector with the same input
// sizes and score threshold, TensorFlow.js's WebAssembly backend, the same downscaling)
// run in an extension page of headless Chromium with the extension's CSP, over a set
// of images; prints per image the faces found against the faces labelled, then
// precision, recall and milliseconds per image.
//
//   node tests/e2e/bench-faces.mjs [--sheet FILE.png]
//
// POSTSAFE_DIST picks the Chromium build (default dist/chrome, which ./build.sh bench
// makes), POSTSAFE_DIST_FIREFOX the Firefox one (default dist/firefox). It runs in
// headless Chromium, then in Firefox ESR (skipped, and said, where Firefox cannot run).
// --sheet also writes every image of the set, with its label, to one PNG, to check
// the labels by eye.
//
// The images. No image of a real child, and none is committed:
// - face-api's own demo photographs (node_modules/@vladmandic/face-api/demo/
//   sample1-6.jpg, shipped in the npm package, MIT like the package): groups of 3 to
//   5 adults, 1920 px wide. Labelled by counting the faces by eye: every face with
//   both eyes or a profile visible counts (sample2's middle face, half hidden by
//   hair and looking down, counts).
// - crops of those photographs made here: one face each (the face's box by eye, a
//   margin around it), and face-free parts (a window blind, a stair rail, a door);
// - the same photographs at 480 px (faces of 40-70 px) and at 4000 px (the
//   downscaling path);
// - pictures drawn here on a canvas: a landscape, gradients, noise, text, shapes,
//   stripes, and a drawn smiley (a picture of a face, not a person: labelled 0; a
//   hit there counts as a false positive).
// Precision and recall are per image (does it have people: the extension's reminder),
// and per face as counts (found faces against labelled faces, capped per image: no
// boxes are matched, so a miss and a false hit in one image cancel out).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, ROOT, startTrap } from './helpers.mjs';
import { extensionPage, FIREFOX_DIST, firefoxSkip, launchFirefox } from './firefox-helpers.mjs';

const args = process.argv.slice(2);
const sheetAt = args.includes('--sheet') ? args[args.indexOf('--sheet') + 1] : null;
// --input N / --threshold T: try other settings than the extension's (the figures then are not the extension's).
const tune = {
  ...(args.includes('--input') ? { inputSize: Number(args[args.indexOf('--input') + 1]) } : {}),
  ...(args.includes('--threshold') ? { scoreThreshold: Number(args[args.indexOf('--threshold') + 1]) } : {}),
};
const DIST = process.env.POSTSAFE_DIST ?? join(ROOT, 'dist/chrome');
const DEMO = join(ROOT, 'node_modules/@vladmandic/face-api/demo');
const DEMO_SRC = 'face-api demo (npm @vladmandic/face-api, MIT)';

/** Faces by eye in face-api's demo photographs. */
const SAMPLES = { sample1: 3, sample2: 3, sample3: 3, sample4: 4, sample5: 5, sample6: 4 };
/** One face each: [x0, y0, x1, y1] as fractions of the photograph (by eye, with a margin). */
const FACE_CROPS = [
  ['sample1', [0.17, 0.12, 0.40, 0.50]], ['sample1', [0.41, 0.22, 0.62, 0.55]], ['sample1', [0.70, 0.10, 0.93, 0.45]],
  ['sample3', [0.27, 0.18, 0.46, 0.48]], ['sample3', [0.54, 0.10, 0.71, 0.42]], ['sample3', [0.75, 0.16, 0.92, 0.46]],
  ['sample6', [0.09, 0.22, 0.30, 0.55]], ['sample6', [0.32, 0.18, 0.52, 0.49]], ['sample6', [0.56, 0.16, 0.75, 0.45]], ['sample6', [0.75, 0.13, 0.94, 0.43]],
];
/** Parts with no face: [x0, y0, x1, y1]. */
const EMPTY_CROPS = [
  ['sample6', [0.20, 0.0, 0.52, 0.13], 'window blind'],
  ['sample5', [0.0, 0.0, 0.17, 0.55], 'stair rail'],
  ['sample3', [0.0, 0.0, 0.18, 0.50], 'door'],
  ['sample2', [0.0, 0.82, 0.30, 1.0], 'sofa and phone'],
];
const DRAWN = ['landscape', 'gradient', 'noise', 'text', 'shapes', 'stripes', 'smiley'];

const images = [
  ...Object.entries(SAMPLES).map(([s, truth]) => ({ id: `${s}.jpg`, source: DEMO_SRC, truth, make: { kind: 'file', file: s } })),
  ...Object.entries(SAMPLES).map(([s, truth]) => ({ id: `${s} at 480 px`, source: `${DEMO_SRC}, scaled down here`, truth, make: { kind: 'crop', file: s, box: [0, 0, 1, 1], width: 480 } })),
  ...['sample3', 'sample5'].map((s) => ({ id: `${s} at 4000 px`, source: `${DEMO_SRC}, scaled up here`, truth: SAMPLES[s], make: { kind: 'crop', file: s, box: [0, 0, 1, 1], width: 4000 } })),
  ...FACE_CROPS.map(([s, box], i) => ({ id: `${s} face ${i + 1}`, source: `${DEMO_SRC}, cropped here`, truth: 1, make: { kind: 'crop', file: s, box } })),
  ...EMPTY_CROPS.map(([s, box, what]) => ({ id: `${s} ${what}`, source: `${DEMO_SRC}, cropped here (no face)`, truth: 0, make: { kind: 'crop', file: s, box } })),
  ...DRAWN.map((d) => ({ id: `drawn ${d}`, source: 'drawn here on a canvas', truth: 0, make: { kind: 'drawn', what: d } })),
];

const files = Object.fromEntries(Object.keys(SAMPLES).map((s) => [s, readFileSync(join(DEMO, `${s}.jpg`)).toString('base64')]));

/**
 * The bench in one browser, on `page`: an extension page (the popup's, opened as a tab),
 * so the extension's CSP (script-src 'self' 'wasm-unsafe-eval') as in the detector's
 * own page, and no listener of its own for the detector's requests. `page.evaluate(fn,
 * arg)` is Playwright's (Chromium) or Puppeteer's (Firefox).
 */
async function benchIn(page, browser, { sheet = null } = {}) {
  console.log(`\n== ${browser}`);

  // The whole path a photo takes, as a content script sends it: the background opens the
  // offscreen document, which loads the detector (first request) and counts.
  const path = await page.evaluate(async (data) => {
    const once = async () => {
      const t0 = performance.now();
      const res = await chrome.runtime.sendMessage({ kind: 'countFaces', data });
      return { ms: Math.round(performance.now() - t0), res };
    };
    const cold = await once();
    const warm = await once();
    return { cold, warm };
  }, files.sample3);
  if (path.cold.res?.kind !== 'faceResult' || !path.cold.res.result.ok) throw new Error(`countFaces through the background: ${JSON.stringify(path.cold.res)}`);
  console.log(`through the background (sample3.jpg, 1920x1350, ${Math.round((files.sample3.length * 3) / 4 / 1024)} KB): first photo ${path.cold.ms} ms (the detector's page opened, detector loaded), next ${path.warm.ms} ms; ${path.warm.res.result.faces} faces`);
  await page.evaluate(async (files) => {
    const faces = await import(chrome.runtime.getURL('faces.js'));
    const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const canvasBlob = async (c, type = 'image/png') => c.convertToBlob({ type, quality: 0.9 });
    const drawn = (what) => {
      const c = new OffscreenCanvas(800, 600);
      const g = c.getContext('2d');
      let seed = 7;
      const rnd = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
      if (what === 'landscape') {
        const sky = g.createLinearGradient(0, 0, 0, 400); sky.addColorStop(0, '#5b8fd6'); sky.addColorStop(1, '#dbe9f7');
        g.fillStyle = sky; g.fillRect(0, 0, 800, 600);
        g.fillStyle = '#ffd75e'; g.beginPath(); g.arc(640, 110, 50, 0, 7); g.fill();
        for (const [y, col] of [[330, '#6b8f5a'], [400, '#4f7a43'], [470, '#3c6233']]) {
          g.fillStyle = col; g.beginPath(); g.moveTo(0, 600);
          for (let x = 0; x <= 800; x += 40) g.lineTo(x, y + Math.sin(x / 90 + y) * 30);
          g.lineTo(800, 600); g.fill();
        }
        for (let i = 0; i < 12; i++) { const x = 40 + i * 65, y = 430 + (i % 3) * 30; g.fillStyle = '#5a3d22'; g.fillRect(x, y, 8, 40); g.fillStyle = '#2f5d2a'; g.beginPath(); g.arc(x + 4, y - 10, 24, 0, 7); g.fill(); }
      } else if (what === 'gradient') {
        const gr = g.createRadialGradient(400, 300, 10, 400, 300, 420); gr.addColorStop(0, '#f4c7a1'); gr.addColorStop(0.5, '#c9795b'); gr.addColorStop(1, '#3a1f2b');
        g.fillStyle = gr; g.fillRect(0, 0, 800, 600);
      } else if (what === 'noise') {
        const d = g.createImageData(800, 600);
        for (let i = 0; i < d.data.length; i += 4) { d.data[i] = rnd() * 255; d.data[i + 1] = rnd() * 255; d.data[i + 2] = rnd() * 255; d.data[i + 3] = 255; }
        g.putImageData(d, 0, 0);
      } else if (what === 'text') {
        g.fillStyle = '#fffdf6'; g.fillRect(0, 0, 800, 600); g.fillStyle = '#222'; g.font = '22px serif';
        const words = 'Sports day is on Friday. Please bring a water bottle, a sun hat and a packed lunch. Parents are welcome from two o\'clock on the top field.'.split(' ');
        let line = '', y = 50;
        for (let k = 0; k < 4; k++) for (const w of words) { if (g.measureText(`${line}${w} `).width > 720) { g.fillText(line, 40, y); y += 32; line = ''; } line += `${w} `; }
        g.fillText(line, 40, y);
      } else if (what === 'shapes') {
        g.fillStyle = '#eee'; g.fillRect(0, 0, 800, 600);
        for (let i = 0; i < 40; i++) {
          g.fillStyle = `hsl(${Math.floor(rnd() * 360)} 60% 55%)`;
          if (i % 2) { g.beginPath(); g.arc(rnd() * 800, rnd() * 600, 10 + rnd() * 60, 0, 7); g.fill(); } else g.fillRect(rnd() * 800, rnd() * 600, 20 + rnd() * 120, 20 + rnd() * 120);
        }
      } else if (what === 'stripes') {
        for (let x = 0; x < 800; x += 20) { g.fillStyle = (x / 20) % 2 ? '#1b1b1b' : '#f2f2f2'; g.fillRect(x, 0, 20, 600); }
      } else if (what === 'smiley') {
        g.fillStyle = '#fff'; g.fillRect(0, 0, 800, 600);
        g.fillStyle = '#ffd43b'; g.beginPath(); g.arc(400, 300, 200, 0, 7); g.fill();
        g.fillStyle = '#222'; g.beginPath(); g.arc(330, 240, 25, 0, 7); g.arc(470, 240, 25, 0, 7); g.fill();
        g.lineWidth = 16; g.strokeStyle = '#222'; g.beginPath(); g.arc(400, 310, 110, 0.2 * Math.PI, 0.8 * Math.PI); g.stroke();
      }
      return canvasBlob(c);
    };
    const bitmaps = {};
    globalThis.__bench = {
      faces,
      async blob(make) {
        if (make.kind === 'drawn') return drawn(make.what);
        const jpeg = new Blob([bytes(files[make.file])], { type: 'image/jpeg' });
        if (make.kind === 'file') return jpeg;
        bitmaps[make.file] ??= await createImageBitmap(jpeg);
        const bmp = bitmaps[make.file];
        const [x0, y0, x1, y1] = make.box;
        const sw = (x1 - x0) * bmp.width, sh = (y1 - y0) * bmp.height;
        const w = make.width ?? Math.round(sw), h = Math.round(sh * (w / sw));
        const c = new OffscreenCanvas(w, h);
        const g = c.getContext('2d'); g.imageSmoothingQuality = 'high';
        g.drawImage(bmp, x0 * bmp.width, y0 * bmp.height, sw, sh, 0, 0, w, h);
        return canvasBlob(c, 'image/jpeg');
      },
    };
  }, files);

  const settings = await page.evaluate(async () => {
    const f = globalThis.__bench.faces;
    const t0 = performance.now();
    const backend = await f.loadDetector(chrome.runtime.getURL('faces/'));
    return { backend, loadMs: Math.round(performance.now() - t0), inputSize: `${f.FACE_INPUT_SIZE} (then ${f.FACE_CLOSE_UP_SIZE} if none)`, threshold: f.FACE_SCORE_THRESHOLD, maxSide: f.FACE_MAX_SIDE };
  });
  if (tune.inputSize) settings.inputSize = `${tune.inputSize} (not the extension's ${settings.inputSize})`;
  if (tune.scoreThreshold) settings.threshold = `${tune.scoreThreshold} (not the extension's ${settings.threshold})`;
  console.log(`detector: face-api tiny face detector, input ${settings.inputSize} px, score >= ${settings.threshold}, pictures over ${settings.maxSide} px scaled down; TensorFlow.js backend ${settings.backend}; first load ${settings.loadMs} ms`);
  console.log(`${'image'.padEnd(30)} ${'labelled'.padStart(8)} ${'found'.padStart(6)} ${'ms'.padStart(6)}  source`);

  const rows = [];
  for (const img of images) {
    // Each image twice: the first run warms the backend for this image size; the second is timed.
    const r = await page.evaluate(async ({ make, tune }) => {
      const { faces, blob } = globalThis.__bench;
      const b = await blob(make);
      const base = chrome.runtime.getURL('faces/');
      await faces.countFaces(b, base, tune);
      return faces.countFaces(b, base, tune);
    }, { make: img.make, tune });
    if (!r.ok) throw new Error(`${img.id}: ${r.problem}: ${r.detail}`);
    rows.push({ ...img, found: r.faces, ms: r.ms, size: `${r.width}x${r.height}` });
    console.log(`${img.id.padEnd(30)} ${String(img.truth).padStart(8)} ${String(r.faces).padStart(6)} ${String(r.ms).padStart(6)}  ${img.source} (${r.width}x${r.height})`);
  }

  const tp = rows.filter((r) => r.truth > 0 && r.found > 0).length;
  const fp = rows.filter((r) => r.truth === 0 && r.found > 0).length;
  const fn = rows.filter((r) => r.truth > 0 && r.found === 0).length;
  const labelled = rows.reduce((s, r) => s + r.truth, 0);
  const found = rows.reduce((s, r) => s + r.found, 0);
  const matched = rows.reduce((s, r) => s + Math.min(r.truth, r.found), 0);
  const ms = rows.map((r) => r.ms).sort((a, b) => a - b);
  const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
  const full = rows.filter((r) => /^sample\d\.jpg$/.test(r.id)).map((r) => r.ms);
  console.log('');
  console.log(`images: ${rows.length} (${rows.filter((r) => r.truth > 0).length} with people, ${rows.filter((r) => r.truth === 0).length} without)`);
  console.log(`per image (people or not): precision ${pct(tp, tp + fp)} (${tp} of ${tp + fp}), recall ${pct(tp, tp + fn)} (${tp} of ${tp + fn})`);
  console.log(`per face (counts, capped per image): precision ${pct(matched, found)} (${matched} of ${found} found), recall ${pct(matched, labelled)} (${matched} of ${labelled} labelled)`);
  console.log(`ms per image (decode, scale, detect; warm): median ${ms[Math.floor(ms.length / 2)]}, max ${ms[ms.length - 1]}, mean ${Math.round(ms.reduce((a, b) => a + b, 0) / ms.length)}; the 1920 px photographs: mean ${Math.round(full.reduce((a, b) => a + b, 0) / full.length)}`);

  if (sheet) {
    const png = await page.evaluate(async (list) => {
      const cell = 220, cols = 6, rowsN = Math.ceil(list.length / cols);
      const c = new OffscreenCanvas(cols * cell, rowsN * (cell + 34));
      const g = c.getContext('2d');
      g.fillStyle = '#fff'; g.fillRect(0, 0, c.width, c.height);
      for (const [i, it] of list.entries()) {
        const bmp = await createImageBitmap(await globalThis.__bench.blob(it.make));
        const s = Math.min(cell / bmp.width, cell / bmp.height);
        const x = (i % cols) * cell, y = Math.floor(i / cols) * (cell + 34);
        g.drawImage(bmp, x, y, bmp.width * s, bmp.height * s);
        g.fillStyle = '#000'; g.font = '12px sans-serif';
        g.fillText(`${it.id}`, x + 2, y + cell + 13);
        g.fillText(`labelled ${it.truth}, found ${it.found}`, x + 2, y + cell + 28);
      }
      const b = await c.convertToBlob({ type: 'image/png' });
      const u8 = new Uint8Array(await b.arrayBuffer());
      let bin = '';
      for (let k = 0; k < u8.length; k += 0x8000) bin += String.fromCharCode(...u8.subarray(k, k + 0x8000));
      return btoa(bin);
    }, rows.map(({ id, truth, found, make }) => ({ id, truth, found, make })));
    writeFileSync(sheet, Buffer.from(png, 'base64'));
    console.log(`sheet: ${sheet}`);
  }
}

const env = await launch(DIST);
try {
  const page = await env.context.newPage();
  await page.goto(`chrome-extension://${env.extensionId}/popup.html`);
  await benchIn(page, `Chromium ${env.context.browser()?.version() ?? ''}`.trim(), { sheet: sheetAt });
} finally {
  await env.close();
}

// Firefox ESR: the same build's Firefox target, the detector's page in a frame of the
// background page. Skipped (and said) where Firefox cannot run here.
const skipFirefox = firefoxSkip();
if (skipFirefox) console.log(`\n== Firefox ESR: skipped (${skipFirefox})`);
else {
  const trap = await startTrap();
  const ff = await launchFirefox({ proxy: trap.port, install: FIREFOX_DIST, extensionPages: true });
  try {
    const page = await extensionPage(ff.browser, 'popup.html');
    await benchIn(page, `Firefox ${(await ff.browser.version()).replace(/^firefox\//i, '')}`);
  } finally {
    await ff.close();
    await trap.close();
  }
}
