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
import { t } from './i18n';
import { setMirrorHost } from './mirror';

export interface Mark {
  finding: Finding;
  rects: DOMRect[];
  /** The visible box of the field the words are in; the mark is clipped to it. */
  clip: DOMRect | null;
}

/** Something the overlay draws: one composer. */
export interface Drawable {
  marks(): Mark[];
  /** The visible box of the editor, where the banner goes. */
  clip(): DOMRect | null;
  /** "Postsafe could not check this draft", or null. */
  banner(): string | null;
  /** A reminder from the organisation (working hours) to show on the editor, or null. */
  note(): string | null;
  /** The finding whose words hold the caret, if the editor has focus. */
  atCaret(): Finding | null;
}

const CSS = `
:host { all: initial; }
.layer { position: fixed; inset: 0; pointer-events: none; }
.box { position: fixed; box-sizing: border-box; border-bottom: 2px solid #c2410c; background: rgba(251, 146, 60, 0.22); border-radius: 2px; pointer-events: none; }
.box[data-severity="block"] { border-bottom-color: #b91c1c; background: rgba(239, 68, 68, 0.22); }
.box[data-severity="info"] { border-bottom-color: #1d4ed8; background: rgba(59, 130, 246, 0.16); }
.banner { position: fixed; pointer-events: none; font: 600 12px/1.3 system-ui, sans-serif; color: #fff; background: #b91c1c; padding: 4px 8px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.reminder { position: fixed; pointer-events: none; max-width: 60%; font: 600 12px/1.3 system-ui, sans-serif; color: #fff; background: #6d28d9; padding: 4px 8px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.card { position: fixed; max-width: 320px; pointer-events: none; font: 13px/1.4 system-ui, sans-serif; color: #1f2937; background: #fff; border: 1px solid #d1d5db; border-left: 4px solid #c2410c; border-radius: 6px; padding: 8px 10px; box-shadow: 0 4px 16px rgba(0,0,0,.18); }
.card[data-severity="block"] { border-left-color: #b91c1c; }
.card[data-severity="info"] { border-left-color: #1d4ed8; }
.card .cat { font-weight: 700; text-transform: uppercase; font-size: 11px; letter-spacing: .04em; color: #6b7280; }
.card .words { font-weight: 700; margin: 2px 0; }
.card .advice { margin-top: 4px; color: #374151; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.mirrors { position: fixed; left: -100000px; top: 0; visibility: hidden; }
`;

function intersect(a: DOMRect, b: DOMRect): DOMRect | null {
  const l = Math.max(a.left, b.left), tp = Math.max(a.top, b.top);
  const r = Math.min(a.right, b.right), bt = Math.min(a.bottom, b.bottom);
  return r > l && bt > tp ? new DOMRect(l, tp, r - l, bt - tp) : null;
}

export class Overlay {
  readonly host: HTMLElement;
  readonly root: ShadowRoot;
  private layer: HTMLDivElement;
  private card: HTMLDivElement;
  private live: HTMLDivElement;
  private sources = new Set<Drawable>();
  private drawn: { rect: DOMRect; finding: Finding }[] = [];
  private frame = 0;
  private hoverPoint: { x: number; y: number } | null = null;
  private announced: Finding | null = null;
  /** The caret card shows when the caret was moved into words (keys, clicks), not while typing. */
  private caretArmed = false;

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
    this.card.setAttribute('role', 'tooltip');
    this.card.hidden = true;
    this.live = doc.createElement('div');
    this.live.className = 'sr';
    this.live.setAttribute('aria-live', 'polite');
    const mirrors = doc.createElement('div');
    mirrors.className = 'mirrors';
    mirrors.setAttribute('aria-hidden', 'true');
    setMirrorHost(mirrors);
    this.root.append(style, this.layer, this.card, this.live, mirrors);

    const view = doc.defaultView!;
    const later = () => this.schedule();
    view.addEventListener('scroll', later, { capture: true, passive: true });
    view.addEventListener('resize', later, { passive: true });
    view.addEventListener('mousemove', (e) => { this.hoverPoint = { x: e.clientX, y: e.clientY }; this.schedule(); }, { capture: true, passive: true });
    doc.addEventListener('selectionchange', later);
    const NAV = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);
    view.addEventListener('keydown', (e) => {
      if (NAV.has(e.key)) this.caretArmed = true;
      else if (e.key.length === 1 || e.key === 'Backspace' || e.key === 'Delete' || e.key === 'Enter') this.caretArmed = false;
    }, { capture: true, passive: true });
    view.addEventListener('mouseup', () => { this.caretArmed = true; }, { capture: true, passive: true });
    view.addEventListener('input', () => { this.caretArmed = false; }, { capture: true, passive: true });
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
    this.drawn = [];
    let caretFinding: Finding | null = null;
    for (const src of this.sources) {
      const clip = src.clip();
      for (const mark of src.marks()) {
        for (const r of mark.rects) {
          const v = mark.clip ? intersect(r, mark.clip) : r;
          if (!v) continue;
          const box = this.doc.createElement('div');
          box.className = 'box';
          box.dataset.severity = mark.finding.severity;
          box.dataset.category = mark.finding.category;
          box.style.left = `${v.left}px`;
          box.style.top = `${v.top}px`;
          box.style.width = `${v.width}px`;
          box.style.height = `${v.height}px`;
          boxes.push(box);
          this.drawn.push({ rect: v, finding: mark.finding });
        }
      }
      const banner = src.banner();
      if (banner && clip) {
        const b = this.doc.createElement('div');
        b.className = 'banner';
        b.setAttribute('role', 'status');
        b.textContent = banner;
        b.style.left = `${clip.left + 4}px`;
        b.style.top = `${Math.max(0, clip.bottom - 26)}px`;
        boxes.push(b);
      }
      const note = src.note();
      if (note && clip) {
        const n = this.doc.createElement('div');
        n.className = 'reminder';
        n.setAttribute('role', 'note');
        n.textContent = note;
        n.style.right = `${Math.max(0, this.doc.documentElement.clientWidth - clip.right + 4)}px`;
        n.style.top = `${clip.top + 4}px`;
        boxes.push(n);
      }
      if (this.caretArmed) caretFinding ??= src.atCaret();
    }
    this.layer.replaceChildren(...boxes);
    this.updateCard(caretFinding);
  }

  private updateCard(caretFinding: Finding | null): void {
    let hit: { rect: DOMRect; finding: Finding } | undefined;
    const p = this.hoverPoint;
    if (p) hit = this.drawn.find(({ rect }) => p.x >= rect.left && p.x <= rect.right && p.y >= rect.top && p.y <= rect.bottom);
    if (!hit && caretFinding) hit = this.drawn.find((d) => d.finding === caretFinding);
    if (!hit) { this.card.hidden = true; this.announced = null; return; }
    const f = hit.finding;
    const c = this.card;
    c.dataset.severity = f.severity;
    const cat = this.doc.createElement('div'); cat.className = 'cat'; cat.textContent = t(`category_${f.category}`);
    const words = this.doc.createElement('div'); words.className = 'words'; words.textContent = `“${f.text}”`;
    const msg = this.doc.createElement('div'); msg.className = 'message'; msg.textContent = f.message;
    const adv = this.doc.createElement('div'); adv.className = 'advice'; adv.textContent = f.advice;
    c.replaceChildren(cat, words, msg, adv);
    c.hidden = false;
    const view = this.doc.defaultView!;
    const w = c.offsetWidth, h = c.offsetHeight;
    let top = hit.rect.bottom + 6;
    if (top + h > view.innerHeight) top = Math.max(0, hit.rect.top - h - 6);
    const left = Math.max(0, Math.min(hit.rect.left, view.innerWidth - w - 4));
    c.style.left = `${left}px`;
    c.style.top = `${top}px`;
    // Keyboard users hear the card once when the caret enters the words.
    if (caretFinding && hit.finding === caretFinding && this.announced !== caretFinding) {
      this.announced = caretFinding;
      this.live.textContent = `${t(`category_${f.category}`)}: ${f.text}. ${f.message} ${f.advice}`;
    }
  }
}
