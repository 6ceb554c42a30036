/**
 * Draws highlights over editors from a shadow-root overlay that sits above the
 * page (in the top layer where the Popover API exists). The editors' DOM is never
 * changed: boxes are placed from client rects, and redrawn on input, scroll and
 * resize. Hovering a box, or moving the caret into its words, opens a card.
 *
 * Sealed from the page: the shadow root is closed (the page's `host.shadowRoot` is
 * null, and its scripts run in another world than ours), the host carries no
 * attribute of ours, and boxes, cards, banners and the dialog live only inside it;
 * it takes no pointer events, so hit-testing from the page finds nothing either. So
 * a page script can read neither what was found nor the trust's name, and cannot
 * use the highlights to test guesses against the roster.
 */
import type { Finding } from './protocol';
import { findingText, t, uiLang } from './i18n';
import { setMirrorHost } from './mirror';
import { groupMarks, type Drawable, type Fix, type Mark } from './marks';

/**
 * Every rule is scoped to the element it styles (`.layer >`, `.card`), so nothing
 * here reaches the dialog, which shares this shadow root and scopes its own rules
 * under `dialog.hold`.
 */
const CSS = `
:host { all: initial; }
.layer { position: fixed; inset: 0; pointer-events: none; }
.layer > .box { position: fixed; box-sizing: border-box; border-bottom: 2px solid #c2410c; background: rgba(251, 146, 60, 0.22); border-radius: 2px; pointer-events: none; }
.layer > .box[data-severity="block"] { border-bottom-color: #b91c1c; background: rgba(239, 68, 68, 0.22); }
.layer > .box[data-severity="info"] { border-bottom-color: #1d4ed8; background: rgba(59, 130, 246, 0.16); }
.layer > .banner { position: fixed; pointer-events: none; font: 600 12px/1.3 system-ui, sans-serif; color: #fff; background: #b91c1c; padding: 4px 8px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.layer > .reminder { position: fixed; pointer-events: none; max-width: 60%; font: 600 12px/1.3 system-ui, sans-serif; color: #fff; background: #6d28d9; padding: 4px 8px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.card { position: fixed; box-sizing: border-box; max-width: 340px; pointer-events: none; font: 13px/1.4 system-ui, sans-serif; color: #1f2937; background: #fff; border: 1px solid #d1d5db; border-left: 4px solid #c2410c; border-radius: 6px; padding: 8px 10px; box-shadow: 0 4px 16px rgba(0,0,0,.18); }
.card[data-severity="block"] { border-left-color: #b91c1c; }
.card[data-severity="info"] { border-left-color: #1d4ed8; }
.card .words { font-weight: 700; margin: 0 0 4px; }
.card .item + .item { border-top: 1px solid #e5e7eb; margin-top: 6px; padding-top: 6px; }
.card .cat { font-weight: 700; text-transform: uppercase; font-size: 11px; letter-spacing: .04em; color: #6b7280; }
.card .advice { margin-top: 4px; color: #374151; }
.card .fixes { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
.card .fixes button { font: 600 12px/1.2 system-ui, sans-serif; border-radius: 5px; padding: 5px 9px; cursor: pointer; border: 1px solid #9ca3af; background: #fff; color: #111827; }
.card .fixes button.primary { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
.card .fixes button[data-hover] { background: #eff6ff; }
.card .fixes button.primary[data-hover] { background: #1e40af; }
.card .fixes button:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.mirrors { position: fixed; left: -100000px; top: 0; visibility: hidden; }
`;

/** The selectors every rule of the overlay's and the dialog's style sheets starts with (checked by the e2e). */
export const CSS_SCOPES = [':host', '.layer', '.card', '.sr', '.mirrors', 'dialog.hold'];

function intersect(a: DOMRect, b: DOMRect): DOMRect | null {
  const l = Math.max(a.left, b.left), tp = Math.max(a.top, b.top);
  const r = Math.min(a.right, b.right), bt = Math.min(a.bottom, b.bottom);
  return r > l && bt > tp ? new DOMRect(l, tp, r - l, bt - tp) : null;
}

const inside = (p: { x: number; y: number }, r: DOMRect, pad = 0) =>
  p.x >= r.left - pad && p.x <= r.right + pad && p.y >= r.top - pad && p.y <= r.bottom + pad;

/**
 * The card's buttons are pressed without the card taking hits: like every other
 * element of the overlay it has `pointer-events: none`, so the page's hit testing
 * (elementFromPoint) never finds it. The teacher's own presses over the open card are
 * caught here instead, on the window in the capture phase, registered when the
 * content script starts (document_start: before any page script's listener), and
 * kept from the page. The overlay of this frame, once made, takes them.
 */
let cardOwner: Overlay | null = null;
const PRESSES = ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click', 'dblclick', 'auxclick', 'contextmenu'] as const;
if (typeof window !== 'undefined') {
  for (const type of PRESSES) window.addEventListener(type, (e) => { cardOwner?.press(e as MouseEvent); }, { capture: true });
  window.addEventListener('keydown', (e) => { cardOwner?.key(e); }, { capture: true });
}

/** The key that takes keyboard focus to the open card's fixes (said with the card, through the live region). */
const FIX_KEY = { code: 'KeyF', altKey: true, shiftKey: true };

/** One drawn span: its box, its findings (most severe first) and the composer it belongs to. */
interface Drawn { rect: DOMRect; group: Finding[]; src: Drawable }

export class Overlay {
  readonly host: HTMLElement;
  readonly root: ShadowRoot;
  private layer: HTMLDivElement;
  private card: HTMLDivElement;
  private live: HTMLDivElement;
  private sources = new Set<Drawable>();
  private drawn: Drawn[] = [];
  private frame = 0;
  private hoverPoint: { x: number; y: number } | null = null;
  private announced: Finding | null = null;
  /** The card the teacher closed by pressing on it away from its fixes: kept shut while the caret stays in those words. */
  private dismissed: Finding | null = null;
  /** Between the press that closed the card and its click. */
  private swallowing = false;
  /** The span the card shows now, while it is open. */
  private shown: Drawn | null = null;
  /** A fix is being applied: the card stays closed until it is done. */
  private fixing = false;
  /** Where focus was when the keyboard took it to the card (the editor): Escape gives it back. */
  private returnFocus: HTMLElement | null = null;
  /** The caret card shows when the caret was moved into words (keys, clicks), not while typing. */
  private caretArmed = false;
  private resizes: ResizeObserver | null = null;
  private sized = new WeakSet<Element>();

  constructor(private doc: Document) {
    this.host = doc.createElement('postsafe-overlay');
    const hs = this.host.style;
    for (const [k, v] of Object.entries({
      position: 'fixed', inset: '0', width: '100vw', height: '100vh', margin: '0', padding: '0', border: '0',
      background: 'transparent', overflow: 'visible', 'pointer-events': 'none', 'z-index': '2147483647', display: 'block',
    })) hs.setProperty(k, v, 'important');
    this.root = this.host.attachShadow({ mode: 'closed' });
    const style = doc.createElement('style');
    style.textContent = CSS;
    this.layer = doc.createElement('div');
    this.layer.className = 'layer';
    this.card = doc.createElement('div');
    this.card.className = 'card';
    this.card.setAttribute('role', 'group');
    this.card.hidden = true;
    this.live = doc.createElement('div');
    this.live.className = 'sr';
    this.live.setAttribute('aria-live', 'polite');
    const mirrors = doc.createElement('div');
    mirrors.className = 'mirrors';
    mirrors.setAttribute('aria-hidden', 'true');
    setMirrorHost(mirrors);
    this.root.append(style, this.layer, this.card, this.live, mirrors);

    cardOwner = this;

    const view = doc.defaultView!;
    const later = () => this.schedule();
    view.addEventListener('scroll', later, { capture: true, passive: true });
    view.addEventListener('resize', later, { passive: true });
    // An image or other media loading moves the words below it (load does not bubble: captured).
    view.addEventListener('load', later, { capture: true, passive: true });
    view.addEventListener('mousemove', (e) => {
      this.hoverPoint = { x: e.clientX, y: e.clientY };
      for (const b of this.card.querySelectorAll<HTMLElement>('button')) b.toggleAttribute('data-hover', !this.card.hidden && inside(this.hoverPoint, b.getBoundingClientRect()));
      this.schedule();
    }, { capture: true, passive: true });
    doc.addEventListener('selectionchange', later);
    const NAV = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);
    view.addEventListener('keydown', (e) => {
      if (NAV.has(e.key)) this.caretArmed = true;
      else if (e.key.length === 1 || e.key === 'Backspace' || e.key === 'Delete' || e.key === 'Enter') this.caretArmed = false;
    }, { capture: true, passive: true });
    view.addEventListener('mouseup', () => { this.caretArmed = true; }, { capture: true, passive: true });
    view.addEventListener('input', () => { this.caretArmed = false; }, { capture: true, passive: true });
    if (typeof ResizeObserver === 'function') this.resizes = new ResizeObserver(later);
  }

  private attach(): void {
    const parent = this.doc.documentElement;
    if (!this.host.isConnected && parent) {
      parent.append(this.host);
      if ('showPopover' in this.host) {
        try { this.host.setAttribute('popover', 'manual'); this.host.showPopover(); } catch { /* not in the top layer, still drawn */ }
      }
    }
  }

  /** Show the card for words the caret is in (after "Edit draft" put it there). */
  armCaret(): void { this.caretArmed = true; this.schedule(); }

  add(src: Drawable): void { this.sources.add(src); this.schedule(); }
  remove(src: Drawable): void { this.sources.delete(src); this.schedule(); }

  /**
   * Redraw when `el` (an editor) or one of its scrolling ancestors changes size: the
   * composer widening, an image above it loading. Observing only: nothing is written.
   */
  observeLayout(el: Element): void {
    if (!this.resizes) return;
    let cur: Element | null = el;
    for (let depth = 0; cur && depth < 16; depth++) {
      if (!this.sized.has(cur)) {
        const cs = getComputedStyle(cur);
        if (cur === el || /(auto|scroll)/.test(cs.overflowY + cs.overflowX) || cur === this.doc.body) {
          this.sized.add(cur);
          this.resizes.observe(cur);
        }
      }
      cur = cur.parentElement ?? ((cur.getRootNode() as ShadowRoot).host ?? null);
    }
  }

  schedule(): void {
    if (this.frame) return;
    const view = this.doc.defaultView!;
    this.frame = view.requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  /** Draw now (used when a scan result arrives, so highlights appear in the same frame). */
  draw(): void {
    if (this.frame) { this.doc.defaultView!.cancelAnimationFrame(this.frame); this.frame = 0; }
    // Attached before measuring: text-control mirrors measure inside this host.
    this.attach();
    const boxes: HTMLElement[] = [];
    let reminder: { note: string; clip: DOMRect } | null = null;
    const clips: DOMRect[] = [];
    this.drawn = [];
    let caretGroup: { group: Finding[]; src: Drawable } | null = null;
    for (const src of this.sources) {
      const clip = src.clip();
      const groups = groupMarks(src.marks());
      for (const group of groups) {
        const lead = group[0]!;
        const findings = group.map((m) => m.finding);
        // The words of the whole span: each mark's rects, drawn once.
        const seen = new Set<string>();
        for (const mark of group) {
          for (const r of mark.rects) {
            const v = mark.clip ? intersect(r, mark.clip) : r;
            if (!v) continue;
            const k = `${Math.round(v.left)},${Math.round(v.top)},${Math.round(v.width)}`;
            if (seen.has(k)) continue;
            seen.add(k);
            const box = this.doc.createElement('div');
            box.className = 'box';
            box.dataset.severity = lead.finding.severity;
            box.dataset.category = lead.finding.category;
            box.style.left = `${v.left}px`;
            box.style.top = `${v.top}px`;
            box.style.width = `${v.width}px`;
            box.style.height = `${v.height}px`;
            boxes.push(box);
            this.drawn.push({ rect: v, group: findings, src });
          }
        }
      }
      const banner = src.banner();
      if (banner && clip) {
        const b = this.doc.createElement('div');
        b.className = 'banner';
        b.setAttribute('role', 'status');
        b.lang = uiLang();
        b.textContent = banner;
        b.style.left = `${clip.left + 4}px`;
        b.style.top = `${Math.max(0, clip.bottom - 26)}px`;
        boxes.push(b);
      }
      const note = src.note();
      if (clip) clips.push(clip);
      // One reminder a page: on the largest field (the post's body, not its alt text).
      if (note && clip && (!reminder || clip.width * clip.height > reminder.clip.width * reminder.clip.height)) reminder = { note, clip };
      if (this.caretArmed && !caretGroup) {
        const f = src.atCaret();
        const g = f ? groups.find((x) => x.some((m) => m.finding === f)) : undefined;
        if (g) caretGroup = { group: g.map((m) => m.finding), src };
      }
    }
    let pill: HTMLElement | null = null;
    if (reminder) {
      pill = this.doc.createElement('div');
      pill.className = 'reminder';
      pill.setAttribute('role', 'note');
      pill.textContent = reminder.note;
      pill.style.right = `${Math.max(0, this.doc.documentElement.clientWidth - reminder.clip.right)}px`;
      boxes.push(pill);
    }
    this.layer.replaceChildren(...boxes);
    // The reminder sits just above the field, or just below it: never over a field of the draft (it is left out rather than cover one).
    if (pill && reminder) {
      const { clip } = reminder;
      const h = pill.offsetHeight || 24, w = pill.offsetWidth;
      const right = clip.right;
      const free = (top: number) => top >= 0 && top + h <= (this.doc.defaultView?.innerHeight ?? Infinity)
        && !clips.some((c) => c.left < right && c.right > right - w && c.top < top + h && c.bottom > top);
      const top = [clip.top - h - 4, clip.bottom + 4].find(free);
      if (top === undefined) pill.remove(); else pill.style.top = `${top}px`;
    }
    this.updateCard(caretGroup);
  }

  /**
   * A press of the teacher's (trusted) over the open card: kept from the page (no
   * default action either: the editor keeps focus, nothing under the card is
   * clicked); a click on one of its buttons applies that fix.
   */
  press(e: MouseEvent): void {
    if (!e.isTrusted) return;
    // The rest of the press that closed the card (up, click) is kept from the page too.
    if (this.swallowing && e.type !== 'pointerdown') {
      e.preventDefault();
      e.stopImmediatePropagation();
      if (e.type === 'click' || e.type === 'auxclick' || e.type === 'contextmenu') this.swallowing = false;
      return;
    }
    this.swallowing = false;
    if (this.card.hidden || !this.shown) return;
    const p = { x: e.clientX, y: e.clientY };
    if (!inside(p, this.card.getBoundingClientRect())) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    const b = [...this.card.querySelectorAll<HTMLButtonElement>('button[data-fix]')].find((x) => inside(p, x.getBoundingClientRect()));
    // A press away from the fixes closes the card (it may cover the next field): the
    // teacher's next press reaches what is under it.
    if (!b) {
      if (e.type === 'pointerdown' || e.type === 'mousedown') {
        this.dismissed = this.shown.group[0] ?? null;
        this.swallowing = true;
        this.card.hidden = true;
        this.shown = null;
      }
      return;
    }
    if (e.type === 'click' && e.button === 0) void this.apply(this.shown, b.dataset.fix as Fix);
  }

  /** The card's button that has keyboard focus, if any. */
  private focusedFix(): HTMLButtonElement | null {
    const a = this.root.activeElement;
    return a instanceof HTMLButtonElement && this.card.contains(a) ? a : null;
  }

  /**
   * Keys: Alt+Shift+F takes focus from the editor to the open card's first fix; then
   * the arrows (or Tab) move between fixes, Enter or Space applies one (the edit puts
   * focus back in the editor), Escape goes back to the editor unchanged. While focus
   * is on the card its keys are kept from the page.
   */
  key(e: KeyboardEvent): void {
    if (!e.isTrusted) return;
    const on = this.focusedFix();
    if (on) {
      e.stopImmediatePropagation();
      const all = [...this.card.querySelectorAll<HTMLButtonElement>('button[data-fix]')];
      const i = all.indexOf(on);
      const move = (d: number) => { all[(i + d + all.length) % all.length]?.focus(); };
      if (e.key === 'ArrowRight' || e.key === 'ArrowDown' || (e.key === 'Tab' && !e.shiftKey)) { e.preventDefault(); move(1); }
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp' || (e.key === 'Tab' && e.shiftKey)) { e.preventDefault(); move(-1); }
      else if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); if (this.shown) void this.apply(this.shown, on.dataset.fix as Fix); }
      else if (e.key === 'Escape') { e.preventDefault(); const back = this.returnFocus; this.returnFocus = null; back?.focus(); this.schedule(); }
      return;
    }
    if (e.code !== FIX_KEY.code || e.altKey !== FIX_KEY.altKey || e.shiftKey !== FIX_KEY.shiftKey || e.ctrlKey || e.metaKey) return;
    const first = this.card.hidden || !this.shown ? null : this.card.querySelector<HTMLButtonElement>('button[data-fix]');
    if (!first) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    let a: Element | null = this.doc.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    this.returnFocus = a instanceof HTMLElement ? a : null;
    first.focus();
  }

  private async apply(d: Drawn, fix: Fix): Promise<void> {
    this.fixing = true;
    this.card.hidden = true;
    this.shown = null;
    try {
      await d.src.fix(d.group, fix);
    } finally {
      this.fixing = false;
      this.hoverPoint = null;
      this.schedule();
    }
  }

  private updateCard(caret: { group: Finding[]; src: Drawable } | null): void {
    // Keyboard focus on the card keeps it open where it is.
    if (this.shown && !this.card.hidden && this.focusedFix()) return;
    const p = this.hoverPoint;
    // The pointer on the open card (or on its way there from the words) keeps it open.
    if (p && this.shown && !this.card.hidden && inside(p, this.card.getBoundingClientRect(), 8)) {
      const still = this.drawn.find((d) => d.src === this.shown!.src && d.group[0] === this.shown!.group[0]);
      if (still) { this.shown = still; return; }
    }
    let hit: Drawn | undefined;
    if (p) hit = this.drawn.find(({ rect }) => inside(p, rect));
    if (caret?.group[0] !== this.dismissed) this.dismissed = null;
    if (!hit && caret && caret.group[0] !== this.dismissed) hit = this.drawn.find((d) => d.src === caret.src && d.group[0] === caret.group[0]);
    if (!hit || this.fixing) { this.card.hidden = true; this.shown = null; this.announced = null; return; }
    const same = this.shown && !this.card.hidden && this.shown.src === hit.src && this.shown.group.length === hit.group.length
      && this.shown.group.every((f, i) => f === hit.group[i]);
    this.shown = hit;
    if (!same) this.fillCard(hit);
    const c = this.card;
    c.hidden = false;
    const view = this.doc.defaultView!;
    const w = c.offsetWidth, h = c.offsetHeight;
    let top = hit.rect.bottom + 2;
    if (top + h > view.innerHeight) top = Math.max(0, hit.rect.top - h - 2);
    const left = Math.max(0, Math.min(hit.rect.left, view.innerWidth - w - 4));
    c.style.left = `${left}px`;
    c.style.top = `${top}px`;
    // Keyboard users hear the card once when the caret enters the words.
    const lead = hit.group[0]!;
    if (caret && caret.group[0] === lead && this.announced !== lead) {
      this.announced = lead;
      this.live.lang = uiLang();
      const fixes = this.card.querySelector('button[data-fix]') ? ` ${t('cardKeys')}` : '';
      this.live.textContent = hit.group.map((f) => {
        const w = findingText(f);
        return `${t(`category_${f.category}`)}: ${f.text}. ${w.message} ${w.advice}`;
      }).join(' ') + fixes;
    }
  }

  private fillCard(d: Drawn): void {
    const el = (tag: string, cls: string, text?: string) => {
      const e = this.doc.createElement(tag);
      e.className = cls;
      if (text !== undefined) e.textContent = text;
      return e;
    };
    const c = this.card;
    const lead = d.group[0]!;
    c.lang = uiLang();
    c.dataset.severity = lead.severity;
    c.setAttribute('aria-label', t('cardLabel'));
    const parts: HTMLElement[] = [el('div', 'words', `“${lead.text}”`)];
    for (const f of d.group) {
      const words = findingText(f);
      const item = el('div', 'item');
      item.dataset.category = f.category;
      item.dataset.severity = f.severity;
      item.dataset.rule = f.rule;
      const msg = el('div', 'message', words.message);
      const adv = el('div', 'advice', words.advice);
      msg.lang = words.lang;
      adv.lang = words.lang;
      item.append(el('div', 'cat', `${t(`category_${f.category}`)} · ${t(`severity_${f.severity}`)}`), msg, adv);
      parts.push(item);
    }
    const fixes = d.src.fixes(d.group);
    if (fixes.length) {
      const row = el('div', 'fixes');
      for (const fix of fixes) {
        const b = el('button', fix === fixes[0] ? 'primary' : '', t(`fix_${fix}`)) as HTMLButtonElement;
        b.type = 'button';
        b.dataset.fix = fix;
        row.append(b);
      }
      parts.push(row);
    }
    c.replaceChildren(...parts);
  }
}
