/**
 * Connection checks in the content script: before the teacher accepts, sends or
 * follows (a friend, follow or connection request), and when a direct-message
 * conversation is opened or replied to, the person's display name and @handle go to
 * the engine (the background's `checkPerson`), which reads them against the pupil
 * roster. A match holds the click with the policy's words; "This is a family member"
 * lets the teacher go on where the policy allows (the reason stays here, in memory,
 * never stored or sent). Pending-request lists, profiles and conversations with a
 * matching person get the name marked in place.
 *
 * What a site looks like is data (`SiteAdapter.contact`, contact-flow.ts); no
 * matching happens here. Nothing leaves the device: names go only to this
 * extension's own service worker.
 *
 * Policy: seed 000 §6 and seed 001 ("decline friend requests from pupils"; "no
 * contact through any personal social medium with any pupil"); seed 002 3.1.3 (report
 * any contact from a child to the head teacher).
 */
import type { ContactFlow, ReminderFlow } from './contact-flow';
import { CONTACT_CSS, openDialog as open, type DialogSpec } from './contact-dialog';
import { BUTTONISH, conversationPerson, handleIn, hitOf, label, matchesAny, nameIn, person, type Person } from './contact-people';
import { t } from './i18n';
import { CONTACT_KEYS, contactSettings, inWorkingHours, type ContactSettings } from './policy';
import { send, type PersonMatch } from './protocol';
import type { SiteAdapter } from './sites';

/** What contact.ts needs from the content script. */
export interface ContactHost {
  /** The site's adapter. */
  site(): SiteAdapter;
  /** Whether Postsafe checks this site now (the per-site switch and the policy's `sites`). */
  on(): boolean;
  /** The overlay's shadow root, attached to the page (marks and the dialog are drawn in it). */
  root(): ShadowRoot;
}

/** A match; `parent` when it is on the parents-and-carers roster, not the pupils'. */
type Match = PersonMatch & { parent?: boolean };

/** The engine's answer for a person: matches (pupils first), or null when it could not check. */
type Verdict = Match[] | null;

let host: ContactHost;
let policy: ContactSettings = contactSettings({});
/** Verdicts by person key, for this page's life: the same person is asked once. */
const verdicts = new Map<string, Promise<Verdict>>();
const settled = new Map<string, Verdict>();
/** People the teacher said are family, for this page's life (in memory only). */
const family = new Set<string>();
/** Conversations whose opening dialog was shown. */
const announced = new Set<string>();
/** Names marked in place: element → what to say. */
const marks = new Map<Element, Match[]>();
let redispatching = false;
let holding = false;
let dialogOpen = false;
/** Events this module dispatched again after the teacher chose to go on: content.ts treats them as the teacher's own. */
const vouched = new WeakSet<Event>();

/**
 * Whether `e` is a click or key this module held and then sent on because the teacher
 * chose to go on: the draft check of content.ts then runs on it as on the original.
 * Page scripts cannot reach this set (it lives in the content script's world).
 */
export function vouchedByContact(e: Event): boolean {
  return vouched.has(e);
}

/** Dispatch `ev` on `target` as the teacher's own (see `vouchedByContact`). */
function resend(target: EventTarget, ev: Event): void {
  vouched.add(ev);
  redispatching = true;
  try { target.dispatchEvent(ev); } finally { redispatching = false; }
}

function clickLike(e: MouseEvent): MouseEvent {
  return new MouseEvent('click', {
    bubbles: true, cancelable: true, composed: true, view: window, detail: e.detail || 1,
    screenX: e.screenX, screenY: e.screenY, clientX: e.clientX, clientY: e.clientY,
    ctrlKey: e.ctrlKey, shiftKey: e.shiftKey, altKey: e.altKey, metaKey: e.metaKey, button: e.button, buttons: e.buttons,
  });
}

function keyLike(e: KeyboardEvent): KeyboardEvent {
  const ev = new KeyboardEvent('keydown', {
    key: e.key, code: e.code, location: e.location, bubbles: true, cancelable: true, composed: true, view: window,
    ctrlKey: e.ctrlKey, shiftKey: e.shiftKey, altKey: e.altKey, metaKey: e.metaKey,
  });
  Object.defineProperty(ev, 'keyCode', { get: () => 13 });
  Object.defineProperty(ev, 'which', { get: () => 13 });
  return ev;
}

/** The engine's verdict on a person, asked once per page. */
function verdict(p: Person): Promise<Verdict> {
  let v = verdicts.get(p.key);
  if (!v) {
    v = send({ kind: 'checkPerson', name: p.name, ...(p.handle ? { handle: p.handle } : {}) }).then((res) => {
      const out: Verdict = res.kind !== 'personResult' ? null
        : res.matches.length ? res.matches : (res.contacts ?? []).map((m) => ({ ...m, parent: true }));
      settled.set(p.key, out);
      // Not known yet (engine starting, the trust's settings on their way): ask again next time.
      if (out === null) verdicts.delete(p.key);
      return out;
    });
    verdicts.set(p.key, v);
  }
  return v;
}

// ---------- holding a click ----------

function stop(e: Event): void {
  e.preventDefault();
  e.stopImmediatePropagation();
}

function onClick(e: MouseEvent): void {
  if (redispatching || !e.isTrusted || !host.on()) return;
  const flow = host.site().contact;
  const path = e.composedPath();
  const original = path[0] instanceof Element && path[0].isConnected ? path[0] : null;
  const redoFor = (btn: Element) => () => resend(original?.isConnected ? original : btn, clickLike(e));
  if (flow?.reminders && reminderClick(e, path, flow.reminders, redoFor)) return;
  if (signupClick(e, path, redoFor)) return;
  if (!flow || !policy.enabled) return;
  const hit = hitOf(path, flow);
  if (!hit || family.has(hit.person.key)) return;
  const known = settled.get(hit.person.key);
  if (known && known.length === 0) return;
  stop(e);
  if (holding || dialogOpen) return;
  holdFor(hit.person, hit.kind, redoFor(hit.el), known);
}

/** How long a held click or reply waits for the engine (ms) before "could not check": as the draft check. */
const VERDICT_WAIT_MS = 10_000;

/**
 * Holds an action (a connect click, a reply by Enter or Send) until the person's verdict
 * is known: a pupil or parent gets the connection dialog; a stranger's action is sent on
 * once; no answer within `VERDICT_WAIT_MS` (engine busy or starting) says it could not
 * check, with go on / go back. While waiting, a reply shows "Checking…" (Go back keeps
 * the text in the box, unsent). `redo` runs at most once.
 */
function holdFor(p: Person, kind: 'connect' | 'reply', redo: () => void, known: Verdict | undefined): void {
  let ran = false;
  const once = () => { if (!ran) { ran = true; redo(); } };
  if (known?.length) { if (kind === 'reply') announced.add(p.key); showDialog(p, known, kind, once); return; }
  holding = true;
  let over = false;
  let closeChecking: (() => void) | null = null;
  const finish = (v: Verdict) => {
    if (over) return;
    over = true;
    holding = false;
    clearTimeout(timer);
    closeChecking?.();
    if (v && v.length === 0) { once(); return; }
    if (kind === 'reply') announced.add(p.key);
    showDialog(p, v, kind, once);
  };
  const timer = window.setTimeout(() => finish(null), VERDICT_WAIT_MS);
  void verdict(p).then(finish, () => finish(null));
  if (!over && kind === 'reply') {
    closeChecking = openDialog({
      state: 'checking',
      title: t('contactCheckingTitle'),
      intro: t('contactCheckingReply'),
      item: null,
      notes: [],
      buttons: [['edit', t('contactGoBack')]],
      // "Go back" or Esc while it checks: nothing is sent; the reply stays in its box.
      onAction: () => { if (!over) { over = true; holding = false; clearTimeout(timer); } },
    });
  }
}

function onKeydown(e: KeyboardEvent): void {
  if (redispatching || !e.isTrusted || e.key !== 'Enter' || e.shiftKey || e.isComposing || !policy.enabled || !host.on()) return;
  const c = host.site().contact?.conversations;
  const target = e.composedPath()[0];
  if (!c || !(target instanceof Element)) return;
  const box = target.closest(c.composers.join(','));
  const root = box?.closest(c.roots.join(','));
  const p = root ? conversationPerson(root, c) : null;
  if (!p || family.has(p.key)) return;
  const known = settled.get(p.key);
  if (known && known.length === 0) return;
  stop(e);
  if (holding || dialogOpen) return;
  holdFor(p, 'reply', () => resend(target.isConnected ? target : box!, keyLike(e)), known);
}

// ---------- reminders: references, wiki edits ----------

function reminderDue(r: ReminderFlow): boolean {
  if (r.kind === 'reference') return policy.referenceReminder;
  return policy.wikiReminder && inWorkingHours(policy.workingHours);
}

/** A click on a button that sends a reference or a wiki edit: held with the reminder when it is due. */
function reminderClick(e: MouseEvent, path: EventTarget[], reminders: ReminderFlow[], redoFor: (b: Element) => () => void): boolean {
  for (const target of path) {
    if (!(target instanceof Element)) continue;
    const r = reminders.find((x) => (matchesAny(target, x.buttons) || (!!x.label && target.matches(BUTTONISH) && x.label.test(label(target))))
      && (!x.within?.length || !!target.closest(x.within.join(','))));
    if (r) {
      if (!reminderDue(r)) return false;
      stop(e);
      if (!dialogOpen) showReminder(r.kind, redoFor(target));
      return true;
    }
    if (target.matches(BUTTONISH)) return false;
  }
  return false;
}

// ---------- sign-up and account settings with a school address ----------

const EMAIL_FIELDS = 'input[type="email"], input[autocomplete~="email"], input[name*="email" i], input[id*="email" i]';
const schoolAddress = new Map<string, Promise<boolean>>();
const schoolKnown = new Map<string, boolean>();
const goneOn = new Set<string>();

/** Whether an email address is the school's: `*.sch.uk`, a domain the policy lists, or one the packs' schools use. */
function isSchoolAddress(address: string): Promise<boolean> {
  let v = schoolAddress.get(address);
  if (v) return v;
  const domain = address.split('@')[1]?.toLowerCase() ?? '';
  const listed = domain.endsWith('.sch.uk') || policy.schoolEmailDomains.some((d) => domain === d || domain.endsWith(`.${d}`));
  v = listed ? Promise.resolve(true)
    : send({ kind: 'scan', draft: { body: address } }).then((res) => res.kind === 'scanResult' && res.findings.some((f) => f.category === 'school'));
  v = v.then((x) => { schoolKnown.set(address, x); return x; });
  schoolAddress.set(address, v);
  return v;
}

/** A click that sends a form holding an email field with a school address: held with a warning. */
function signupClick(e: MouseEvent, path: EventTarget[], redoFor: (b: Element) => () => void): boolean {
  const btn = path.find((x): x is Element => x instanceof Element && x.matches(BUTTONISH));
  if (!btn) return false;
  const form = btn.closest('form, [role="dialog"]');
  if (!form) return false;
  const address = [...form.querySelectorAll<HTMLInputElement>(EMAIL_FIELDS)].map((i) => i.value.trim()).find((v) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v));
  if (!address || goneOn.has(address)) return false;
  const known = schoolKnown.get(address);
  if (known === false) return false;
  stop(e);
  if (holding || dialogOpen) return true;
  holding = true;
  const redo = redoFor(btn);
  void isSchoolAddress(address).then((school) => {
    holding = false;
    if (!school) { redo(); return; }
    showSchoolEmail(address, () => { goneOn.add(address); redo(); });
  }, () => { holding = false; });
  return true;
}

// ---------- the dialog (contact-dialog.ts) ----------

function openDialog(spec: DialogSpec): () => void {
  return open(host.root(), spec, policy, (o) => { dialogOpen = o; });
}

/**
 * The held click (or the opened conversation): who, why, and what the policy says.
 * "Go back" leaves things as they were; "This is a family member" (where the policy
 * allows it) stops asking about this person on this page and lets the held click or
 * reply through once (a reply then gets its own draft check, as any post). `redo` is
 * the held action; null for an opened conversation.
 */
function showDialog(p: Person, v: Verdict, kind: 'connect' | 'reply' | 'open', redo: (() => void) | null): void {
  const goOn = v === null || policy.familyAllowed;
  const said = v?.[0];
  const parent = !!said?.parent;
  openDialog({
    state: v === null ? 'failed' : kind === 'open' ? 'conversation' : 'person',
    title: t(v === null ? 'contactFailedTitle' : parent ? 'contactParentTitle' : 'contactTitle'),
    intro: t(v === null ? 'contactFailedBody' : parent ? 'contactParentIntro' : kind === 'connect' ? 'contactIntroConnect' : 'contactIntroMessage'),
    item: said ? {
      words: `“${p.name}”${p.handle ? ` ${p.handle.startsWith('@') ? p.handle : `@${p.handle}`}` : ''}`,
      message: t(parent ? 'contactParentMessage' : 'contactMessage'),
      advice: t(parent ? 'contactParentAdvice' : 'contactAdvice'),
      clause: parent ? t('contactParentKind') : said.kind === 'name' ? t('contactKindName') : said.kind === 'initial' ? t('contactKindInitial') : t('contactKindLike'),
      category: parent ? 'parent' : 'pupil',
    } : null,
    notes: goOn && v !== null ? [t('contactFamilyPrivate')] : [],
    buttons: [...(goOn ? [['family', t(v === null ? 'contactGoOn' : 'contactFamily')] as [string, string]] : []), ['edit', t('contactGoBack')]],
    onAction: (a) => {
      if (a !== 'family' || !goOn) return;
      // The teacher's word, kept for this page only: never stored, never sent.
      if (v !== null) family.add(p.key);
      redo?.();
      schedule();
    },
  });
}

/** The reminder before a reference or a wiki edit is sent; "Send anyway" sends it (and its draft check runs). */
function showReminder(kind: ReminderFlow['kind'], redo: () => void): void {
  const w = kind === 'wiki';
  openDialog({
    state: kind,
    title: t(w ? 'wikiTitle' : 'referenceTitle'),
    intro: t(w ? 'wikiIntro' : 'referenceIntro'),
    item: null,
    notes: [],
    buttons: [['post', t(w ? 'wikiGoOn' : 'referenceGoOn')], ['edit', t('contactGoBack')]],
    onAction: (a) => { if (a === 'post') redo(); },
  });
}

/** The warning before a form with a school email address is sent. */
function showSchoolEmail(address: string, goOn: () => void): void {
  openDialog({
    state: 'school-email',
    title: t('schoolEmailTitle'),
    intro: t('schoolEmailIntro'),
    item: { words: `“${address}”`, message: t('schoolEmailMessage'), advice: t('schoolEmailAdvice'), clause: '', category: 'school' },
    notes: [],
    buttons: [['post', t('contactGoOn')], ['edit', t('schoolEmailBack')]],
    onAction: (a) => { if (a === 'post') goOn(); },
  });
}

// ---------- marks in place ----------

let layer: HTMLDivElement | null = null;
let frame = 0;
let scanTimer = 0;

function drawMarks(): void {
  frame = 0;
  if (!layer || !layer.isConnected) {
    if (!marks.size) return;
    layer = document.createElement('div');
    layer.className = 'layer contact-marks';
    const style = document.createElement('style');
    style.textContent = CONTACT_CSS;
    host.root().append(style, layer);
  }
  const out: HTMLElement[] = [];
  for (const [el, m] of marks) {
    if (!el.isConnected) { marks.delete(el); continue; }
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    const box = document.createElement('div');
    box.className = 'box';
    box.dataset.category = m[0]!.parent ? 'parent' : 'pupil';
    box.dataset.severity = 'block';
    box.dataset.contact = m[0]!.kind;
    Object.assign(box.style, { left: `${r.left}px`, top: `${r.top}px`, width: `${r.width}px`, height: `${r.height}px` });
    const tag = document.createElement('div');
    tag.className = 'banner';
    tag.textContent = t(m[0]!.parent ? 'contactParentMark' : 'contactMark');
    Object.assign(tag.style, { left: `${r.left}px`, top: `${Math.max(0, r.top - 22)}px` });
    out.push(box, tag);
  }
  layer.replaceChildren(...out);
}

function redraw(): void {
  if (!frame) frame = requestAnimationFrame(drawMarks);
}

function mark(p: Person, v: Verdict): void {
  if (!v?.length || family.has(p.key)) { if (marks.delete(p.nameEl)) redraw(); return; }
  marks.set(p.nameEl, v);
  redraw();
}

/** Reads what the page shows now: pending requests, a profile, an open conversation. */
function scanPage(): void {
  scanTimer = 0;
  if (!policy.enabled || !host.on()) { if (marks.size) { marks.clear(); redraw(); } return; }
  const flow = host.site().contact;
  if (!flow) return;
  const people: Person[] = [];
  if (flow.requestLists?.length && flow.people.length) {
    for (const list of document.querySelectorAll(flow.requestLists.join(','))) {
      for (const card of list.querySelectorAll(flow.people.join(','))) {
        const n = nameIn(card, flow.names);
        if (n) people.push(person(n, handleIn(card, flow.handles)));
      }
    }
  }
  const page = nameIn(document, flow.pageNames);
  if (page) people.push(person(page, handleIn(document, flow.pageHandles)));
  for (const p of people) void verdict(p).then((v) => mark(p, v));
  const c = flow.conversations;
  if (c) {
    for (const root of document.querySelectorAll(c.roots.join(','))) {
      const p = conversationPerson(root, c);
      if (!p) continue;
      void verdict(p).then((v) => {
        mark(p, v);
        if (v?.length && !family.has(p.key) && !announced.has(p.key) && !dialogOpen && p.nameEl.isConnected) {
          announced.add(p.key);
          showDialog(p, v, 'open', null);
        }
      });
    }
  }
  redraw();
}

/** Whether a mutation happened inside a field the user types in (a contenteditable or a text control). */
function inEditable(r: MutationRecord): boolean {
  const el = r.target instanceof Element ? r.target : r.target.parentElement;
  return !!el && ((el as HTMLElement).isContentEditable === true || el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement);
}

function schedule(): void {
  if (!scanTimer) scanTimer = window.setTimeout(scanPage, 150);
}

async function refreshPolicy(): Promise<void> {
  try {
    policy = contactSettings(await chrome.storage.managed.get(CONTACT_KEYS));
  } catch {
    // This frame cannot read managed storage: the background's reading of the same policy.
    const res = await send({ kind: 'policy' });
    if (res.kind === 'policy') {
      const { contactsPacks: _n, ...c } = res.settings.contact;
      policy = { ...c, workingHours: res.settings.workingHours, orgName: res.settings.orgName, policyUrl: res.settings.policyUrl };
    }
  }
  schedule();
}

/**
 * Start the connection checks in this frame. Call before the content script's own
 * listeners, so that a held Send in a conversation with a pupil is held here first.
 */
export function bootContact(h: ContactHost): void {
  host = h;
  window.addEventListener('click', onClick, true);
  window.addEventListener('keydown', onKeydown, true);
  void refreshPolicy();
  chrome.storage.onChanged.addListener((_c, area) => { if (area === 'managed') void refreshPolicy(); });
  // Once the page is parsed: the adapter may be known only then (a MediaWiki or
  // Mastodon page is recognised by its markup), and it is cached on first use.
  const watch = () => {
    if (!host.site().contact) return;
    // The teacher's own typing changes only the field typed in, where no person's name is
    // shown: those mutations start no page read (nothing on the keystroke path).
    new MutationObserver((records) => { if (!records.every(inEditable)) schedule(); })
      .observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    window.addEventListener('scroll', redraw, { capture: true, passive: true });
    window.addEventListener('resize', redraw, { passive: true });
    schedule();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch, { once: true });
  else watch();
}
