/**
 * Content script: finds composers, draws highlights, holds posts. No matching
 * happens here: text goes to the background engine through the protocol, and
 * findings come back as spans that become DOM ranges and boxes.
 *
 * From document_start a site is in one of three states: unknown (storage not read
 * yet), on or off. Until it is known, and until the engine has answered, a Post is
 * held ("Checking this post…"), never let through unchecked.
 *
 * What a post is (its fields, its Post button) lives in post.ts. This file stays one
 * room over 400 lines because every part of it (composers, holding a post, the event
 * handlers, boot) reads and writes the same page state: site on/off, policy, the
 * composers, the overlay and the dialog.
 */
import { Composer, setFixPolicy, setNoteSource } from './composer';
import { HoldDialog, type Answer, type DialogContent, type DialogView, type Wait } from './dialog';
import { editableRoot, fieldFor, isTextControl } from './fields';
import { Overlay } from './overlay';
import type { FindingSummary } from './protocol';
import { DEFAULT_POLICY, inWorkingHours, readPolicy, siteState, type Policy } from './policy';
import { t } from './i18n';
import { holdsPost, send, STORAGE } from './protocol';
import { adapterFor, type SiteAdapter } from './sites';
import { bootContact, vouchedByContact } from './contact';
import { readDisabledSites } from './store';
import { forgetPhotos, photoReports, photosHold, photosToShow, watchPhotos } from './photos';
import {
  bindPosts, carrierFor, carriers, checkPost, kindOf, postButtonOf, postForButton, postOfField, postRootFor, scopeFor,
  type Post, type PostFinding, type PostOutcome,
} from './post';

/** Whether this site is checked: 'unknown' from document_start until storage is read. */
type SiteState = 'unknown' | 'on' | 'off';

/** How long a held post waits for its check before the dialog says it could not be checked. */
const READY_TIMEOUT_MS = 10_000;
/** A running engine answers within a few ms: then "Checking this post…" shows only if the wait is longer than this. */
const CHECKING_DELAY_MS = 150;
/** How often a check that waits for the trust's settings asks again. */
const PENDING_POLL_MS = 500;

let adapter: SiteAdapter | null = null;
let overlay: Overlay | null = null;
let dialog: HoldDialog | null = null;
let state: SiteState = 'unknown';
let stateKnown: () => void = () => {};
const known = new Promise<void>((r) => { stateKnown = r; });
/** The engine has answered this frame (ready, or a scan): it is running, so a wait is short. */
let warm = false;
let redispatching = false;
let checking = false;
/** What a composer and the dialog use of the organisation's policy. */
type ContentPolicy = Pick<Policy, 'overrideAllowed' | 'overrideReasonRequired' | 'userTermsAllowed' | 'orgName' | 'policyUrl' | 'workingHours'>;
const CONTENT_POLICY_KEYS = ['overrideAllowed', 'overrideReasonRequired', 'userTermsAllowed', 'orgName', 'policyUrl', 'workingHours'];
let policy: ContentPolicy | null = null;
const composers = new Map<HTMLElement, Composer>();

let policyAt = 0;
/**
 * The policy, read from managed storage here with the background's own reader (no
 * round trip to a service worker that may be starting); from the background only if
 * this frame cannot read managed storage.
 */
async function refreshPolicy(): Promise<ContentPolicy> {
  policyAt = Date.now();
  let raw: Record<string, unknown> | null = null;
  try { raw = await chrome.storage.managed.get(CONTENT_POLICY_KEYS); } catch { raw = null; }
  if (raw) policy = readPolicy(raw).policy;
  else {
    const res = await send({ kind: 'policy' });
    if (res.kind === 'policy') policy = res.settings;
  }
  overlay?.schedule();
  return policy ?? DEFAULT_POLICY;
}

/** The working-hours reminder, when the policy sets one and now is inside it. */
function reminder(): string | null {
  const w = policy?.workingHours;
  if (!w || !inWorkingHours(w)) return null;
  return w.message || t('workingHoursReminder');
}
setNoteSource(reminder);
// The card's fixes follow the policy; none that the policy might forbid before it is read.
setFixPolicy(() => policy);
const observed = new WeakSet<HTMLElement>();

/**
 * This page's adapter. A site known by its host is known at once; one known by its
 * page (Mastodon on any host) only once its markup is there: until the document has
 * been parsed, the generic adapter stands in without being kept.
 */
function site(): SiteAdapter {
  if (adapter) return adapter;
  const a = adapterFor(location, document);
  if (a.id !== 'generic' || document.readyState !== 'loading') adapter = a;
  return a;
}

function ui(): { overlay: Overlay; dialog: HoldDialog } {
  if (!overlay) {
    overlay = new Overlay(document);
    dialog = new HoldDialog(overlay.root, document);
  }
  return { overlay, dialog: dialog! };
}

// ---------- composers: a field's own scans and highlights ----------

function onResult(c: Composer): void {
  if (!c.failed && !c.pending) warm = true;
  ui().overlay.draw();
  scheduleReport();
}

function watch(el: HTMLElement): void {
  if (observed.has(el) || isTextControl(el)) return;
  observed.add(el);
  // Editors such as Draft.js and Lexical write their own DOM without an input
  // event: observing (never changing) the subtree tells us the text moved.
  new MutationObserver(() => {
    if (state !== 'on') return;
    // Only while the user is at the keyboard or mouse: a page script rewriting the
    // editor on its own starts no check (the Post the user then presses checks it).
    if (userActive()) composers.get(el)?.changed();
    overlay?.schedule();
  }).observe(el, { childList: true, characterData: true, subtree: true });
}

/** The part for a field typed in: its own scans and highlights, wherever it is in its post. */
function composerFor(el: HTMLElement): Composer {
  const known = composers.get(el);
  if (known) return known;
  const kind = kindOf(el);
  const c = new Composer(site(), fieldFor(el), postRootFor(el) ?? scopeFor(el), onResult, kind === 'alt' ? 'alt' : kind === 'link' ? 'link' : 'body');
  composers.set(el, c);
  watch(el);
  ui().overlay.add(c);
  ui().overlay.observeLayout(el);
  return c;
}

// A post (post.ts) is made of these composers.
bindPosts({ site, composerFor, onResult });

// ---------- reporting (badge, popup) ----------

let reportTimer = 0;
function scheduleReport(): void {
  if (reportTimer) return;
  reportTimer = window.setTimeout(() => {
    reportTimer = 0;
    const findings: FindingSummary[] = [];
    let failed = false;
    for (const [el, c] of carriers) {
      if (!el.isConnected) { carriers.delete(el); continue; }
      failed ||= c.failed;
      for (const f of c.findings) findings.push({ category: f.category, severity: f.severity, text: f.text, message: f.message, rule: f.rule });
    }
    for (const [el, c] of composers) {
      if (!el.isConnected) { composers.delete(el); ui().overlay.remove(c); continue; }
      failed ||= c.failed;
      for (const f of c.findings) findings.push({ category: f.category, severity: f.severity, text: f.text, message: f.message, rule: f.rule });
    }
    void send({ kind: 'report', findings: state === 'on' ? findings : [], failed: state === 'on' && failed });
  }, 150);
}

// ---------- holding a post ----------

function stop(e: Event): void {
  e.preventDefault();
  e.stopImmediatePropagation();
}

/**
 * Check the post before the site sees the post action: every field it sends. A post
 * whose every part with text has a current, clean result passes synchronously;
 * otherwise the action is held until its check is done (see `settle`), and
 * re-dispatched once (clean, or "Post anyway").
 */
function hold(e: Event, post: Post, redo: () => void): void {
  if (checking) { stop(e); return; }
  const live = post.parts.map(({ c }) => ({ c, d: c.draft() })).filter(({ c, d }) => !c.isEmpty(d));
  // Photos count for the post whose composer they came through (photos.ts photosOf).
  if (!live.length && !photosHold(post.root)) return;
  const clean = state === 'on' && !photosHold(post.root) && live.every(({ c, d }) => {
    const r = c.cached(d);
    return r?.ok && !r.findings.some(holdsPost) && !r.truncated.length;
  });
  if (clean) { forgetPhotos(post.root); return; }
  stop(e);
  checking = true;
  void settle(post, redo).finally(() => { checking = false; });
}

/** "Edit draft": the first field with a finding that holds the post, its words selected; else the post's first field. */
function focusFirst(post: Post, findings: PostFinding[]): void {
  for (const f of findings) if (f.part.focusAt(f)) return;
  // Words the post carries without an editor (saved alt, file name): the caret at the end of its first field.
  const field = post.parts.find((p) => p.c.field)?.c.field;
  if (field) { const end = field.read().length; field.focusAt(end, end); }
}

const sleep = (ms: number) => new Promise<void>((r) => { setTimeout(r, Math.max(0, ms)); });

/**
 * The outcome for the draft as it is now, once the site's state is known and the
 * engine has answered; 'off' when the site turned out to be off; 'timeout' when
 * that did not happen by `deadline`. A check that waits for the trust's settings is
 * asked again until then, and reported through `onWait`.
 */
async function checkBy(post: Post, deadline: number, onWait: (w: Wait) => void): Promise<PostOutcome | 'off' | 'timeout'> {
  const timeout = () => sleep(deadline - Date.now()).then(() => 'timeout' as const);
  if (state === 'unknown' && (await Promise.race([known, timeout()])) === 'timeout') return 'timeout';
  for (;;) {
    if (state === 'off') return 'off';
    if (Date.now() >= deadline) return 'timeout';
    const out = await Promise.race([checkPost(post), timeout()]);
    if (out === 'timeout' || out.ok || !out.pending) return out;
    onWait('policy');
    await sleep(Math.min(PENDING_POLL_MS, deadline - Date.now()));
  }
}

/**
 * Hold a post until its check is done. "Checking this post…" shows at once on a
 * cold start (the engine has not answered this frame yet), otherwise only if the
 * check takes longer than CHECKING_DELAY_MS, and turns into the verdict in place. A
 * clean draft then posts by itself. Past READY_TIMEOUT_MS the dialog says the post
 * could not be checked, with "Try again" and "Post anyway" where the policy allows it.
 * Resolves when the dialog is gone (posted, or back to editing).
 */
function settle(post: Post, redo: () => void): Promise<void> {
  return new Promise<void>((done) => {
    let view: DialogView | null = null;
    let attempt = 0;
    let over = false;
    let findings: PostFinding[] = [];
    let wait: Wait = 'engine';
    const finish = () => { over = true; view?.close(); done(); };
    const checkingContent = (): DialogContent => ({
      findings: [], failed: false, checking: wait, image: false, overrideAllowed: false, reasonRequired: false,
      orgName: null, policyUrl: null, reminder: null,
    });
    const onChoice = (a: Answer) => {
      if (over) return;
      if (a.choice === 'retry') { void run(); return; }
      if (a.choice === 'post') {
        void send(a.reason ? { kind: 'override', reason: a.reason } : { kind: 'override' });
        finish();
        forgetPhotos(post.root);
        redo();
        return;
      }
      finish();
      focusFirst(post, findings.filter(holdsPost));
      ui().overlay.armCaret();
    };
    const show = (content: DialogContent) => {
      if (view) { view.update(content); return; }
      const u = ui();
      u.overlay.draw(); // attaches the overlay, which the dialog lives in
      view = u.dialog.show(content, onChoice);
    };
    const showChecking = () => { if (!over) show(checkingContent()); };
    const run = async () => {
      try {
        await attemptCheck();
      } catch {
        // A bug of ours must not leave the post held for ever with nothing on screen:
        // close what there is; the post stays unposted, and Post can be pressed again.
        finish();
      }
    };
    const attemptCheck = async () => {
      const mine = ++attempt;
      wait = 'engine';
      const timer = warm && !view ? window.setTimeout(showChecking, CHECKING_DELAY_MS) : 0;
      if (!timer) showChecking();
      const out = await checkBy(post, Date.now() + READY_TIMEOUT_MS, (w) => { if (w !== wait || !view) { wait = w; showChecking(); } });
      // Attached photos: what their files give away (photos.ts), checked alongside.
      const photos = out === 'off' ? [] : await photoReports(post.root);
      window.clearTimeout(timer);
      if (over || mine !== attempt) return;
      // A draft too long to check fully is held like one with findings: the rest was not checked.
      if (out === 'off' || (out !== 'timeout' && out.ok && !out.findings.some(holdsPost) && !out.truncated.length && !photosHold(post.root))) { finish(); forgetPhotos(post.root); redo(); return; }
      findings = out !== 'timeout' && out.ok ? out.findings : [];
      const p = await refreshPolicy();
      if (over || mine !== attempt) return;
      const content: DialogContent = {
        findings, failed: out === 'timeout' || !out.ok, ...(out === 'timeout' ? { timedOut: wait } : {}),
        tooLong: out !== 'timeout' && out.ok && out.truncated.length > 0,
        image: Composer.hasImage(site(), post.root ?? post.parts[0]!.c.scope), overrideAllowed: p.overrideAllowed, reasonRequired: p.overrideReasonRequired,
        orgName: p.orgName, policyUrl: p.policyUrl, reminder: reminder(), photos: photosToShow(photos),
      };
      show(content);
    };
    void run();
  });
}

function redispatch(target: EventTarget, ev: Event): void {
  redispatching = true;
  try { target.dispatchEvent(ev); } finally { redispatching = false; }
}

function onClick(e: MouseEvent): void {
  // A click the page fires itself (element.click(), dispatchEvent) is not the user's
  // Post: it is not held, so it tells the page nothing about the draft.
  // A click the connection checks held and the teacher let go on (vouchedByContact) is the teacher's own.
  if (redispatching || state === 'off' || !(e.isTrusted || vouchedByContact(e))) return;
  const path = e.composedPath();
  if (overlay && path.includes(overlay.host)) return;
  const btn = postButtonOf(path);
  if (!btn) return;
  const post = postForButton(btn);
  if (!post) return;
  const original = path[0] instanceof Element && path[0].isConnected ? path[0] : btn;
  hold(e, post, () => {
    const target = original.isConnected ? original : btn;
    redispatch(target, new MouseEvent('click', {
      bubbles: true, cancelable: true, composed: true, view: window, detail: e.detail || 1,
      screenX: e.screenX, screenY: e.screenY, clientX: e.clientX, clientY: e.clientY,
      ctrlKey: e.ctrlKey, shiftKey: e.shiftKey, altKey: e.altKey, metaKey: e.metaKey, button: e.button, buttons: e.buttons,
    }));
  });
}

function onKeydown(e: KeyboardEvent): void {
  if (redispatching || state === 'off' || !(e.isTrusted || vouchedByContact(e)) || e.key !== 'Enter' || e.isComposing) return;
  const path = e.composedPath();
  const root = editableRoot(path[0] ?? null);
  if (!root) return;
  const a = site();
  const mod = (e.ctrlKey || e.metaKey) && !e.altKey;
  const plain = !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey;
  const enterSel = a.enterPosts.join(',');
  const posts = (mod && a.modEnterPosts) || (plain && !!enterSel && root.matches(enterSel));
  if (!posts) return;
  const target = path[0] as Element;
  hold(e, postOfField(root), () => {
    const ev = new KeyboardEvent('keydown', {
      key: e.key, code: e.code, location: e.location, bubbles: true, cancelable: true, composed: true, view: window,
      ctrlKey: e.ctrlKey, shiftKey: e.shiftKey, altKey: e.altKey, metaKey: e.metaKey,
    });
    // Older handlers read keyCode/which, which a constructed event cannot set.
    Object.defineProperty(ev, 'keyCode', { get: () => 13 });
    Object.defineProperty(ev, 'which', { get: () => 13 });
    redispatch(target.isConnected ? target : root, ev);
  });
}

// ---------- events ----------

/**
 * The user acted on this page a moment ago (a key, a click, a tap: the browser's
 * transient user activation, which no page script can grant itself). Where the
 * browser has no such signal, events are judged by `isTrusted` alone.
 */
function userActive(): boolean {
  const ua = (navigator as Navigator & { userActivation?: { isActive: boolean } }).userActivation;
  return ua ? ua.isActive : true;
}

/** Fields the user typed in before this site's state was known: checked once it is known to be on. */
const typedEarly = new Set<HTMLElement>();

function onEdit(e: Event): void {
  // Only the user's own typing starts a check: an input event a page script fires is untrusted.
  if (!e.isTrusted) return;
  if (state === 'unknown') {
    const early = editableRoot(e.composedPath()[0] ?? null);
    if (early) typedEarly.add(early);
    return;
  }
  if (state !== 'on') return;
  const root = editableRoot(e.composedPath()[0] ?? null);
  if (root) {
    composerFor(root).changed();
    overlay?.schedule();
    return;
  }
  const t = e.composedPath()[0];
  if (t instanceof HTMLInputElement && t.type === 'file') {
    // File names are checked now, so that Post seldom waits for them.
    const root = postRootFor(t);
    if (root) carrierFor(root).changed();
  }
}

function onFocus(e: FocusEvent): void {
  if (state !== 'on') return;
  const root = editableRoot(e.composedPath()[0] ?? null);
  if (!root) return;
  const c = composerFor(root);
  // A page script's focus() is trusted too: check on focus only when the user put it there.
  if (c.key === null && e.isTrusted && userActive()) c.changed();
  if (Date.now() - policyAt > 10_000) void refreshPolicy();
}

function frameHost(): string {
  if (location.hostname) return location.hostname;
  try { return window.parent.location.hostname; } catch { return ''; }
}

/**
 * Whether this frame's site is checked, read from storage here (the same rule as the
 * background's siteState): known within milliseconds of document_start, whether or
 * not the service worker is running.
 */
async function siteOn(): Promise<boolean> {
  try {
    const [raw, disabled] = await Promise.all([chrome.storage.managed.get('sites').catch(() => ({})), readDisabledSites()]);
    return siteState(readPolicy(raw).policy, disabled, frameHost()).enabled;
  } catch {
    const res = await send({ kind: 'siteState', host: frameHost() });
    return res.kind === 'siteState' ? res.enabled : true; // never a silent pass
  }
}

async function refreshState(): Promise<void> {
  const next: SiteState = (await siteOn()) ? 'on' : 'off';
  if (next === state) return;
  state = next;
  stateKnown();
  if (state === 'off') {
    for (const c of composers.values()) overlay?.remove(c);
    composers.clear();
    overlay?.draw();
  }
  scheduleReport();
}

function boot(): void {
  // Connection checks (friend/follow requests, direct messages) listen first: a reply held there is held before its draft check.
  bootContact({ site, on: () => state === 'on', root: () => { const u = ui(); u.overlay.draw(); return u.overlay.root; } });
  window.addEventListener('click', onClick, true);
  window.addEventListener('keydown', onKeydown, true);
  window.addEventListener('input', onEdit, true);
  window.addEventListener('change', onEdit, true);
  window.addEventListener('focusin', onFocus, true);
  watchPhotos(window, () => state !== 'off', postRootFor);
  window.addEventListener('pagehide', () => { void send({ kind: 'report', findings: [], failed: false }); });
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && STORAGE.disabledSites in changes) void refreshState();
    if (area === 'managed') { void refreshState(); void refreshPolicy(); }
  });
  // Start the service worker (and its engine) now, not when the first Post needs it.
  // A one-off message: frames that never hold a composer keep no port open.
  void send({ kind: 'ready' }).then((res) => { if (res.kind === 'ok') warm = true; });
  // The reminder follows the clock.
  window.setInterval(() => { if (policy?.workingHours) overlay?.schedule(); }, 30_000);
  void refreshState().then(() => {
    // Drafts typed in, or focused, before we were ready: every one of them, not only the last.
    const active = document.activeElement;
    const root = active ? editableRoot(active) : null;
    if (root) typedEarly.add(root);
    if (state === 'on') for (const el of typedEarly) if (el.isConnected) composerFor(el).changed();
    typedEarly.clear();
    overlay?.schedule();
  });
}

boot();
