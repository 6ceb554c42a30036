/**
 * Content script: finds composers, draws highlights, holds posts. No matching
 * happens here: text goes to the background engine through the protocol, and
 * findings come back as spans that become DOM ranges and boxes.
 *
 * From document_start a site is in one of three states: unknown (storage not read
 * yet), on or off. Until it is known, and until the engine has answered, a Post is
 * held ("Checking this post…"), never let through unchecked.
 */
import { Composer, closestDeep, containsDeep, setFixPolicy, setNoteSource, type ScanOutcome } from './composer';
import { HoldDialog, type Answer, type DialogContent, type DialogView, type Wait } from './dialog';
import { editableRoot, fieldFor, isTextControl } from './fields';
import { Overlay } from './overlay';
import type { Finding, FindingSummary } from './protocol';
import { DEFAULT_POLICY, inWorkingHours, readPolicy, siteState, type Policy } from './policy';
import { t } from './i18n';
import { holdsPost, send, STORAGE } from './protocol';
import { adapterFor, type SiteAdapter } from './sites';
import { bootContact, vouchedByContact } from './contact';
import { readDisabledSites } from './store';

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

function site(): SiteAdapter {
  return (adapter ??= adapterFor(location, document));
}

function ui(): { overlay: Overlay; dialog: HoldDialog } {
  if (!overlay) {
    overlay = new Overlay(document);
    dialog = new HoldDialog(overlay.root, document);
  }
  return { overlay, dialog: dialog! };
}

// ---------- finding composers ----------

const BUTTONISH = 'button, [role="button"], input[type="submit"], input[type="button"]';

function label(el: Element): string {
  return (el.getAttribute('aria-label') || (el as HTMLInputElement).value || el.textContent || '').trim();
}

function isPostButton(el: Element): boolean {
  const a = site();
  const sel = a.postButtons.join(',');
  if (sel && el.matches(sel)) return true;
  return !!a.postLabel && el.matches(BUTTONISH) && a.postLabel.test(label(el));
}

/** The post button an event went through, if any. */
function postButtonOf(path: EventTarget[]): Element | null {
  for (const t of path) {
    if (!(t instanceof Element)) continue;
    if (isPostButton(t)) return t;
    if (t.matches(BUTTONISH)) return null; // some other button
  }
  return null;
}

function hasPostButton(el: Element): boolean {
  for (const b of el.querySelectorAll(`${BUTTONISH}, ${site().postButtons.join(',') || 'x-none'}`)) {
    if (isPostButton(b)) return true;
  }
  return false;
}

/** The element around an editor that holds its buttons, alt-text fields and files. */
function scopeFor(el: Element): Element {
  const root = closestDeep(el, site().composerRoots.join(','));
  if (root) return root;
  let cur: Element | null = el.parentElement;
  for (let depth = 0; cur && depth < 12; depth++) {
    if (hasPostButton(cur)) return cur;
    cur = cur.parentElement ?? ((cur.getRootNode() as ShadowRoot).host ?? null);
  }
  return el.ownerDocument.body ?? el.ownerDocument.documentElement;
}

function isAlt(el: Element): boolean {
  const sel = site().altText.join(',');
  return !!sel && el.matches(sel);
}

function findBody(scope: Element): HTMLElement | null {
  const a = site();
  const preferred = a.composers.join(',');
  const candidates = [
    ...(preferred ? scope.querySelectorAll<HTMLElement>(preferred) : []),
    ...scope.querySelectorAll<HTMLElement>('[contenteditable="true"], [contenteditable=""], [contenteditable="plaintext-only"], textarea, input'),
  ];
  for (const c of candidates) {
    const root = editableRoot(c);
    if (root && !isAlt(root)) return root;
  }
  return null;
}

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

function composerFor(el: HTMLElement): Composer {
  const known = composers.get(el);
  if (known) return known;
  const a = site();
  if (isAlt(el)) {
    for (const c of composers.values()) if (c.body && containsDeep(c.scope, el)) return c;
    const scope = scopeFor(el);
    const body = findBody(scope);
    if (body && containsDeep(scopeFor(body), el)) return composerFor(body);
    const lone = new Composer(a, null, scope, fieldFor(el), onResult);
    composers.set(el, lone);
    ui().overlay.add(lone);
    return lone;
  }
  const c = new Composer(a, fieldFor(el), scopeFor(el), null, onResult);
  composers.set(el, c);
  watch(el);
  ui().overlay.add(c);
  ui().overlay.observeLayout(el);
  return c;
}

function composerForButton(btn: Element): Composer | null {
  let best: Composer | null = null;
  for (const c of composers.values()) {
    if (!c.scope.isConnected || !containsDeep(c.scope, btn)) continue;
    if (!best || c.lastActive > best.lastActive) best = c;
  }
  if (best) return best;
  const root = closestDeep(btn, site().composerRoots.join(','));
  const body = root ? findBody(root) : null;
  if (body) return composerFor(body);
  // No composer root: the nearest ancestor of the button that holds an editor (a
  // draft the page filled in, never focused, must still be checked).
  let cur: Element | null = btn.parentElement;
  for (let depth = 0; cur && depth < 8 && cur !== cur.ownerDocument.body; depth++) {
    const ed = cur.querySelector('[contenteditable="true"], [contenteditable=""], [contenteditable="plaintext-only"], textarea');
    const found = ed ? editableRoot(ed) : null;
    if (found && !isAlt(found)) return composerFor(found);
    cur = cur.parentElement ?? ((cur.getRootNode() as ShadowRoot).host ?? null);
  }
  return null;
}

// ---------- reporting (badge, popup) ----------

let reportTimer = 0;
function scheduleReport(): void {
  if (reportTimer) return;
  reportTimer = window.setTimeout(() => {
    reportTimer = 0;
    const findings: FindingSummary[] = [];
    let failed = false;
    for (const [el, c] of composers) {
      if (!el.isConnected) { composers.delete(el); ui().overlay.remove(c); continue; }
      failed ||= c.failed;
      for (const f of c.findings) findings.push({ category: f.category, severity: f.severity, text: f.text, message: f.message });
    }
    void send({ kind: 'report', findings: state === 'on' ? findings : [], failed: state === 'on' && failed });
  }, 150);
}

// ---------- holding a post ----------

function stop(e: Event): void {
  e.preventDefault();
  e.stopImmediatePropagation();
}

function order(fs: Finding[]): Finding[] {
  const rank = { body: 0, alt: 1, file: 2, link: 3 } as const;
  return [...fs].sort((a, b) => rank[a.field] - rank[b.field] || a.fieldIndex - b.fieldIndex || a.start - b.start);
}

/**
 * Check the draft before the site sees the post action. A clean draft whose last
 * result is current passes synchronously; otherwise the action is held until its
 * check is done (see `settle`), and re-dispatched once (clean, or "Post anyway").
 */
function hold(e: Event, c: Composer, redo: () => void): void {
  if (checking) { stop(e); return; }
  const d = c.draft();
  if (c.isEmpty(d)) return;
  const cached = state === 'on' ? c.cached(d) : null;
  if (cached?.ok && !cached.findings.some(holdsPost) && !cached.truncated.length) return;
  stop(e);
  checking = true;
  void settle(c, redo).finally(() => { checking = false; });
}

const sleep = (ms: number) => new Promise<void>((r) => { setTimeout(r, Math.max(0, ms)); });

/**
 * The outcome for the draft as it is now, once the site's state is known and the
 * engine has answered; 'off' when the site turned out to be off; 'timeout' when
 * that did not happen by `deadline`. A check that waits for the trust's settings is
 * asked again until then, and reported through `onWait`.
 */
async function checkBy(c: Composer, deadline: number, onWait: (w: Wait) => void): Promise<ScanOutcome | 'off' | 'timeout'> {
  const timeout = () => sleep(deadline - Date.now()).then(() => 'timeout' as const);
  if (state === 'unknown' && (await Promise.race([known, timeout()])) === 'timeout') return 'timeout';
  for (;;) {
    if (state === 'off') return 'off';
    if (Date.now() >= deadline) return 'timeout';
    const out = await Promise.race([c.check().then((r) => r.out), timeout()]);
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
function settle(c: Composer, redo: () => void): Promise<void> {
  return new Promise<void>((done) => {
    let view: DialogView | null = null;
    let attempt = 0;
    let over = false;
    let findings: Finding[] = [];
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
        redo();
        return;
      }
      finish();
      c.focusFirst(findings.filter(holdsPost));
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
      const out = await checkBy(c, Date.now() + READY_TIMEOUT_MS, (w) => { if (w !== wait || !view) { wait = w; showChecking(); } });
      window.clearTimeout(timer);
      if (over || mine !== attempt) return;
      // A draft too long to check fully is held like one with findings: the rest was not checked.
      if (out === 'off' || (out !== 'timeout' && out.ok && !out.findings.some(holdsPost) && !out.truncated.length)) { finish(); redo(); return; }
      findings = out !== 'timeout' && out.ok ? order(out.findings) : [];
      const p = await refreshPolicy();
      if (over || mine !== attempt) return;
      const content: DialogContent = {
        findings, failed: out === 'timeout' || !out.ok, ...(out === 'timeout' ? { timedOut: wait } : {}),
        tooLong: out !== 'timeout' && out.ok && out.truncated.length > 0,
        image: c.hasImage(), overrideAllowed: p.overrideAllowed, reasonRequired: p.overrideReasonRequired,
        orgName: p.orgName, policyUrl: p.policyUrl, reminder: reminder(),
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
  const c = composerForButton(btn);
  if (!c) return;
  const original = path[0] instanceof Element && path[0].isConnected ? path[0] : btn;
  hold(e, c, () => {
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
  hold(e, composerFor(root), () => {
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

function onEdit(e: Event): void {
  // Only the user's own typing starts a check: an input event a page script fires is untrusted.
  if (state !== 'on' || !e.isTrusted) return;
  const root = editableRoot(e.composedPath()[0] ?? null);
  if (root) {
    composerFor(root).changed();
    overlay?.schedule();
    return;
  }
  const t = e.composedPath()[0];
  if (t instanceof HTMLInputElement && t.type === 'file') {
    for (const c of composers.values()) if (containsDeep(c.scope, t)) c.changed();
    const scope = closestDeep(t, site().composerRoots.join(','));
    const body = scope ? findBody(scope) : null;
    if (body) composerFor(body).changed();
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
    // A draft that was focused before we were ready.
    const active = document.activeElement;
    const root = active ? editableRoot(active) : null;
    if (state === 'on' && root) composerFor(root).changed();
  });
}

boot();
