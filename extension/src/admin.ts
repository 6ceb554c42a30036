/**
 * The admin page: a trust's IT admin builds, compares and deploys a pack without a
 * terminal. One source, shipped inside the extension (admin.html, linked from the
 * options page) and as the standalone folder dist/admin/ that works opened from disk.
 * Every heavy step runs in admin-worker.ts; this file reads files, draws and offers
 * downloads. It makes no network request.
 */
import type { BuildProgress, BuiltPack, CheckReport, PackDiff } from 'postsafe-wasm-admin';
import { simpleSettings, type Settings } from './admin-policy';
import { defaultLang, fmt, type Key, type Lang } from './admin-strings';
import type { Download, FileIn, Reply, Request } from './admin-worker';
import { TEST_BUILD } from './build';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
let lang: Lang = defaultLang();
const tr = (key: Key, ...subs: (string | number)[]) => fmt(lang, key, ...subs);

/** Files the person chose, by role. */
const files: { register: FileIn | null; pupils: FileIn[]; staff: FileIn[]; terms: FileIn | null; current: FileIn | null } = {
  register: null, pupils: [], staff: [], terms: null, current: null,
};
let register: { urn: string | null; name: string; trust: string | null }[] = [];
const chosenUrns = new Set<string>();
let last: { built: Omit<BuiltPack, 'json'>; sha256: string; diff: PackDiff | null; diffError: string | null; check: CheckReport } | null = null;

// --- The worker --------------------------------------------------------------------
function startWorker(): Worker {
  if (__ADMIN_WORKER_INLINE__) {
    // Opened from disk: a worker from a file is refused, one from a blob of its code is not.
    const url = URL.createObjectURL(new Blob([__ADMIN_WORKER_INLINE__], { type: 'text/javascript' }));
    return new Worker(url);
  }
  return new Worker('admin-worker.js');
}
let worker: Worker;
try {
  worker = startWorker();
} catch (e) {
  $('status').textContent = tr('workerFailed', String(e));
  throw e;
}
const ask = (r: Request, transfer: Transferable[] = []) => worker.postMessage(r, transfer);

worker.onmessage = (e: MessageEvent<Reply>) => {
  const r = e.data;
  switch (r.type) {
    case 'ready': document.body.dataset.ready = 'true'; break;
    case 'register': register = r.schools; drawSchools(); break;
    case 'progress': drawProgress(r.progress); break;
    case 'built': last = r; drawBuilt(); break;
    case 'preview': drawFindings(r.findings); break;
    case 'downloads':
      downloadsPending = Math.max(0, downloadsPending - 1);
      drawDownloadLinks(r.downloads);
      break;
    case 'error':
      if (r.for === 'build') buildDone(tr('failed', r.message), true);
      else if (r.for === 'register') { register = []; drawSchools(); showFileError(r.message); }
      else if (r.for === 'downloads') { downloadsPending = Math.max(0, downloadsPending - 1); showFileError(r.message); }
      break;
  }
};
worker.onerror = (e) => { $('status').textContent = tr('workerFailed', e.message); };

// --- Words -------------------------------------------------------------------------
function applyLang(): void {
  document.documentElement.lang = lang;
  ($('lang') as HTMLSelectElement).value = lang;
  for (const el of document.querySelectorAll<HTMLElement>('[data-t]')) el.textContent = tr(el.dataset.t as Key);
  drawFiles();
  drawSchools();
  if (last) drawBuilt(false);
  drawSettings();
  if (downloadsShown.length) drawDownloadLinks(downloadsShown);
}

// --- Files -------------------------------------------------------------------------
async function readFile(f: File): Promise<FileIn> {
  return { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) };
}

/** Which role a dropped file has, from its name and first line. */
async function classify(f: File): Promise<keyof typeof files> {
  const head = new TextDecoder().decode(new Uint8Array(await f.slice(0, 4096).arrayBuffer())).toLowerCase();
  if (/\.json$/i.test(f.name)) return /"format"\s*:/.test(head) ? 'current' : 'terms';
  const first = head.split(/\r?\n/)[0] ?? '';
  const cols = first.split(',').map((c) => c.replace(/[\s_"-]/g, ''));
  if (cols.includes('urn') || cols.includes('establishmentname')) return 'register';
  if (cols.includes('title') || /staff/i.test(f.name)) return 'staff';
  return 'pupils';
}

async function addFiles(role: keyof typeof files, list: FileList | File[]): Promise<void> {
  for (const f of Array.from(list)) {
    const r = role === 'pupils' && !(list instanceof FileList) ? await classify(f) : role;
    const fin = await readFile(f);
    if (r === 'pupils' || r === 'staff') files[r].push(fin);
    else files[r] = fin;
    if (r === 'register') ask({ type: 'register', file: fin });
  }
  drawFiles();
}

function drawFiles(): void {
  const ul = $('file-list');
  ul.replaceChildren();
  const rows: [keyof typeof files, FileIn][] = [];
  for (const k of ['register', 'pupils', 'staff', 'terms', 'current'] as const) {
    const v = files[k];
    if (Array.isArray(v)) for (const f of v) rows.push([k, f]);
    else if (v) rows.push([k, v]);
  }
  if (!rows.length) { const li = document.createElement('li'); li.textContent = tr('noFiles'); ul.append(li); return; }
  const labels: Record<keyof typeof files, Key> = { register: 'registerLabel', pupils: 'pupilsLabel', staff: 'staffLabel', terms: 'termsLabel', current: 'currentLabel' };
  for (const [k, f] of rows) {
    const li = document.createElement('li');
    li.dataset.role = k;
    li.textContent = `${tr(labels[k]).replace(/ \(.*$/, '')}: ${tr('fileRead', f.name, f.bytes.length)} `;
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = '\u00d7';
    b.setAttribute('aria-label', tr('remove', f.name));
    b.onclick = () => {
      const v = files[k];
      if (Array.isArray(v)) v.splice(v.indexOf(f), 1);
      else (files as Record<string, FileIn | FileIn[] | null>)[k] = null;
      if (k === 'register') { register = []; drawSchools(); }
      drawFiles();
      $('f-register').focus();
    };
    li.append(b);
    ul.append(li);
  }
}

function showFileError(message: string): void {
  $('status').textContent = tr('failed', message);
  $('status').className = 'error';
}

for (const [id, role] of [['f-register', 'register'], ['f-pupils', 'pupils'], ['f-staff', 'staff'], ['f-terms', 'terms'], ['f-current', 'current']] as const) {
  const input = $<HTMLInputElement>(id);
  input.addEventListener('change', () => {
    if (input.files) void addFiles(role, input.files).then(() => { input.value = ''; });
  });
}
const drop = $('drop');
for (const ev of ['dragenter', 'dragover'] as const) {
  document.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.add('over'); });
}
document.addEventListener('dragleave', () => drop.classList.remove('over'));
document.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  if (e.dataTransfer?.files.length) void addFiles('pupils', Array.from(e.dataTransfer.files));
});

// --- Schools -----------------------------------------------------------------------
function byTrust(): boolean { return $<HTMLInputElement>('by-trust').checked; }

function drawSchools(): void {
  const has = register.length > 0;
  $('no-register').hidden = has;
  $('schools').hidden = !has;
  if (!has) return;
  $('register-count').textContent = tr('registerCount', register.length);
  $('pick-trust').hidden = !byTrust();
  $('pick-urn').hidden = byTrust();
  const trusts = [...new Set(register.map((s) => s.trust).filter((t): t is string => !!t))].sort();
  const dl = $('trust-options');
  dl.replaceChildren(...trusts.map((t) => Object.assign(document.createElement('option'), { value: t })));
  const want = $<HTMLInputElement>('trust-pick').value.trim().toLowerCase();
  const n = register.filter((s) => s.trust && s.trust.toLowerCase() === want).length;
  $('trust-pick-status').textContent = want ? (n ? tr('trustSchools', n) : tr('trustNone')) : '';
  const q = $<HTMLInputElement>('urn-search').value.trim().toLowerCase();
  const ul = $('urn-list');
  ul.replaceChildren();
  const shown = register.filter((s) => s.urn && (!q || s.name.toLowerCase().includes(q) || s.urn.includes(q))).slice(0, 200);
  for (const s of shown) {
    const urn = s.urn as string;
    const li = document.createElement('li');
    const label = document.createElement('label');
    label.className = 'inline';
    const box = Object.assign(document.createElement('input'), { type: 'checkbox', checked: chosenUrns.has(urn), value: urn });
    box.onchange = () => { if (box.checked) chosenUrns.add(urn); else chosenUrns.delete(urn); $('urn-status').textContent = tr('urnChosen', chosenUrns.size); };
    label.append(box, ` ${s.name} (${urn})`);
    li.append(label);
    ul.append(li);
  }
  $('urn-status').textContent = tr('urnChosen', chosenUrns.size);
}
for (const id of ['by-trust', 'by-urn']) $(id).addEventListener('change', drawSchools);
$('trust-pick').addEventListener('input', drawSchools);
$('urn-search').addEventListener('input', drawSchools);

// --- Build -------------------------------------------------------------------------
$('hashed').addEventListener('change', () => { $('plain-warning').hidden = $<HTMLInputElement>('hashed').checked; });

/** The salt: random, or in the test build a fixed one given as `?salt=HEX` (same pack in every page). */
function salt(): Uint8Array {
  const fixed = TEST_BUILD ? new URLSearchParams(location.search).get('salt') : null;
  if (fixed && /^[0-9a-f]{32}$/i.test(fixed)) return Uint8Array.from(fixed.match(/../g) ?? [], (h) => parseInt(h, 16));
  return crypto.getRandomValues(new Uint8Array(16));
}

function buildDone(message: string, failed: boolean): void {
  const s = $('status');
  s.textContent = message;
  s.className = failed ? 'error' : '';
  s.dataset.state = failed ? 'failed' : 'ok';
  $<HTMLButtonElement>('build').disabled = false;
  $<HTMLButtonElement>('build').removeAttribute('aria-busy');
}

$('build').addEventListener('click', () => {
  const name = $<HTMLInputElement>('trust-name').value.trim();
  if (!name) { buildDone(tr('needName'), true); $('trust-name').focus(); return; }
  let trust: string | null = null;
  let urns: string[] = [];
  if (files.register) {
    if (byTrust()) {
      const want = $<HTMLInputElement>('trust-pick').value.trim();
      trust = register.find((s) => s.trust && s.trust.toLowerCase() === want.toLowerCase())?.trust ?? (want || null);
      if (!trust) { buildDone(tr('needTrust'), true); $('trust-pick').focus(); return; }
    } else {
      urns = [...chosenUrns];
      if (!urns.length) { buildDone(tr('needTrust'), true); $('urn-search').focus(); return; }
    }
  }
  last = null;
  $('result').hidden = true;
  $('downloads').hidden = true;
  $<HTMLProgressElement>('progress').value = 0;
  $('status').textContent = tr('building');
  $('status').dataset.state = 'building';
  $<HTMLButtonElement>('build').disabled = true;
  $('build').setAttribute('aria-busy', 'true');
  ask({
    type: 'build',
    name,
    todayUnixDays: Math.floor(Date.now() / 86_400_000),
    register: files.register,
    trust,
    urns,
    pupils: files.pupils,
    staff: files.staff,
    terms: files.terms,
    current: files.current,
    salt: $<HTMLInputElement>('hashed').checked ? salt() : null,
  });
});

function drawProgress(p: BuildProgress): void {
  const bar = $<HTMLProgressElement>('progress');
  bar.max = p.steps + 1;
  bar.value = p.step;
  $('status').textContent = p.stage === 'read' ? tr('stepRead', p.file ?? '', p.items ?? 0)
    : p.stage === 'hashing' ? tr('stepHashing') : tr('stepChecking');
}

function cell(row: HTMLTableRowElement, text: string | number, head = false): void {
  const c = document.createElement(head ? 'th' : 'td');
  c.textContent = String(text);
  row.append(c);
}

function drawBuilt(announce = true): void {
  if (!last) return;
  const { built, diff } = last;
  const bar = $<HTMLProgressElement>('progress');
  bar.value = bar.max;
  if (announce) buildDone(tr('built', built.id, built.version), false);
  $('result').hidden = false;
  const counts = $('counts');
  counts.replaceChildren();
  const rows: [Key, string | number][] = [
    ['countSchools', built.schools], ['countPupils', built.pupils], ['countStaff', built.staff],
    ['countTermLists', built.termLists], ['countPatterns', built.patterns],
    ['countHashed', tr(built.hashed ? 'hashedYes' : 'hashedNo')],
  ];
  for (const [k, v] of rows) {
    const tr_ = document.createElement('tr');
    tr_.dataset.count = k;
    cell(tr_, tr(k), true);
    cell(tr_, v);
    counts.append(tr_);
  }
  const probs = $('problems');
  probs.replaceChildren();
  for (const p of built.problems) {
    const li = document.createElement('li');
    li.textContent = tr('problem', p.file, p.line, p.reason);
    probs.append(li);
  }
  if (!built.problems.length) probs.append(Object.assign(document.createElement('li'), { textContent: tr('noProblems') }));
  const d = $('diff');
  d.replaceChildren();
  if (last.diffError) d.append(Object.assign(document.createElement('p'), { className: 'error', textContent: tr('diffFailed', last.diffError) }));
  else if (!diff) d.append(Object.assign(document.createElement('p'), { textContent: tr('diffNone') }));
  else {
    d.append(Object.assign(document.createElement('p'), { textContent: tr('diffVersion', diff.version[0], diff.version[1]) }));
    const table = document.createElement('table');
    const head = table.insertRow();
    for (const k of ['diffKind', 'diffBefore', 'diffAfter', 'diffAdded', 'diffRemoved'] as const) cell(head, tr(k), true);
    for (const k of diff.kinds) {
      const row = table.insertRow();
      row.dataset.kind = k.kind;
      cell(row, k.kind); cell(row, k.before); cell(row, k.after); cell(row, `+${k.added}`); cell(row, `\u2212${k.removed}`);
    }
    d.append(table);
    if (diff.hashed) {
      const show = (h: { pupils: number; staff: number } | null) => (h ? `${h.pupils} / ${h.staff}` : '\u2014');
      d.append(Object.assign(document.createElement('p'), { textContent: tr('diffHashed', show(diff.hashed[0]), show(diff.hashed[1])) }));
    }
    if (!diff.changed) d.append(Object.assign(document.createElement('p'), { textContent: tr('diffUnchanged') }));
  }
  $('downloads').hidden = false;
  $('sha').textContent = tr('sha', last.sha256);
  drawDownloads();
  preview();
}

// --- Sample draft ------------------------------------------------------------------
let previewTimer: ReturnType<typeof setTimeout> | undefined;
function preview(): void {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(() => {
    const text = $<HTMLTextAreaElement>('draft').value;
    if (!last) { $('preview-status').textContent = tr('previewWait'); return; }
    ask({ type: 'preview', text });
  }, 150);
}
$('draft').addEventListener('input', preview);

function drawFindings(findings: { category: string; severity: string; text: string; message: string }[]): void {
  const ul = $('findings');
  ul.replaceChildren();
  $('preview-status').textContent = findings.length ? '' : tr('previewNone');
  for (const f of findings) {
    const li = document.createElement('li');
    li.dataset.severity = f.severity;
    li.dataset.category = f.category;
    li.textContent = `\u201c${f.text}\u201d (${f.category}, ${f.severity}): ${f.message}`;
    ul.append(li);
  }
}

// --- Settings and downloads ----------------------------------------------------------
/** Form controls for the schema's string and boolean settings; values not set are left out. */
function drawSettings(): void {
  const box = $('settings');
  const old = new Map([...box.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-key]')].map((el) => [el.dataset.key, el.value]));
  box.replaceChildren();
  for (const { key, node } of simpleSettings()) {
    const id = `set-${key}`;
    const label = Object.assign(document.createElement('label'), { htmlFor: id, textContent: node.title ?? key });
    const hint = Object.assign(document.createElement('p'), { className: 'hint', id: `${id}-hint`, textContent: node.description ?? '' });
    let control: HTMLInputElement | HTMLSelectElement;
    if (node.type === 'boolean' || node.enum) {
      control = document.createElement('select');
      const opts = node.type === 'boolean' ? [['', tr('notSet')], ['true', tr('on')], ['false', tr('off')]] : [['', tr('notSet')], ...(node.enum ?? []).map((v) => [v, v])];
      for (const [v, t] of opts) control.append(Object.assign(document.createElement('option'), { value: v, textContent: t }));
    } else {
      control = Object.assign(document.createElement('input'), { type: 'text' });
    }
    control.id = id;
    control.dataset.key = key;
    control.setAttribute('aria-describedby', hint.id);
    control.value = old.get(key) ?? '';
    control.addEventListener('change', drawDownloads);
    box.append(label, hint, control);
  }
}

function extraSettings(): Settings {
  const s: Settings = {};
  for (const el of $('settings').querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-key]')) {
    const key = el.dataset.key as string;
    const v = el.value.trim();
    if (!v) continue;
    s[key] = el instanceof HTMLSelectElement && (v === 'true' || v === 'false') ? v === 'true' : v;
  }
  return s;
}

const DOWNLOAD_LABELS: Record<Download['id'], Key> = {
  pack: 'dlPack', sha256: 'dlSha', google: 'dlGoogle', windows: 'dlReg', linux: 'dlLinux', macos: 'dlMac', firefox: 'dlFirefox', inline: 'dlInline',
};

/** Asks the worker for the downloads with the settings as they are now (it holds the pack). */
function drawDownloads(): void {
  if (!last) return;
  const url = $<HTMLInputElement>('pack-url').value.trim();
  $('pack-url-warning').hidden = !url || url.startsWith('https://');
  const extra = extraSettings();
  const org = typeof extra.orgName === 'string' ? extra.orgName : $<HTMLInputElement>('trust-name').value.trim();
  downloadsPending++;
  $('download-list').dataset.state = 'pending';
  ask({ type: 'downloads', url, installUrl: $<HTMLInputElement>('install-url').value.trim(), extra, org });
}
/** Downloads asked of the worker and not yet answered (the links are current when 0). */
let downloadsPending = 0;

const urls: string[] = [];
let downloadsShown: Download[] = [];
function drawDownloadLinks(list: Download[]): void {
  for (const u of urls.splice(0)) URL.revokeObjectURL(u);
  downloadsShown = list;
  const ul = $('download-list');
  ul.replaceChildren();
  for (const d of list) {
    const href = URL.createObjectURL(d.blob);
    urls.push(href);
    const a = Object.assign(document.createElement('a'), { href, download: d.name, id: `dl-${d.id}`, textContent: `${tr(DOWNLOAD_LABELS[d.id])}: ${d.name}` });
    const li = document.createElement('li');
    li.append(a);
    ul.append(li);
  }
  ul.dataset.state = downloadsPending ? 'pending' : 'ready';
}
for (const id of ['pack-url', 'install-url']) $(id).addEventListener('input', drawDownloads);

$('lang').addEventListener('change', () => { lang = ($('lang') as HTMLSelectElement).value as Lang; applyLang(); });
applyLang();
