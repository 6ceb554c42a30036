/**
 * A field of a draft on the page: a contenteditable editor or a text control.
 * Reads text, turns a span of it into client rects, puts the caret on a span.
 * Never writes to the field.
 */
import { controlRects, type TextControl } from './mirror';
import { offsetOf, rangeFor, readEditable, type TextMap } from './textmap';

export interface Field {
  readonly el: HTMLElement;
  read(): string;
  rects(start: number, end: number): DOMRect[];
  /** Give the field focus with the span selected (a selection is not a DOM change). */
  focusAt(start: number, end: number): void;
  /** Caret offset in the text, when the field has focus and the selection is collapsed in it. */
  caret(): number | null;
  /** The visible box of the field's text. */
  clip(): DOMRect;
  /**
   * Replace the span [start, end) (UTF-16 code units of `read()`) with `text`, the way
   * the teacher would: focus, select the span, then the browser's own input path
   * (`execCommand('insertText')`, or `'delete'` when `text` is empty), which fires the
   * beforeinput/input events the editor handles and keeps its undo history. The DOM is
   * never written by us. Resolves to whether the field's text now reads as expected.
   */
  replace(start: number, end: number, text: string): Promise<boolean>;
}

/** Wait for the editor to have read the selection we set (selectionchange runs as a task). */
function settle(view: Window): Promise<void> {
  return new Promise((r) => { view.setTimeout(r, 0); });
}

/** The edit through the browser's input path, on the element that has focus with the span selected. */
async function typeOver(field: Field, start: number, end: number, text: string): Promise<boolean> {
  const before = field.read();
  const expected = before.slice(0, start) + text + before.slice(end);
  field.focusAt(start, end);
  const doc = field.el.ownerDocument;
  await settle(doc.defaultView!);
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the only way to type through the editor's own input handling
  const done = text ? doc.execCommand('insertText', false, text) : doc.execCommand('delete', false);
  if (!done) return false;
  await settle(doc.defaultView!);
  return field.read().replace(/\n+/g, '\n') === expected.replace(/\n+/g, '\n');
}

const TEXT_INPUTS = new Set(['text', 'search', 'url', '']);

export function isTextControl(el: Element): el is TextControl {
  if (el instanceof HTMLTextAreaElement) return !el.readOnly && !el.disabled;
  if (el instanceof HTMLInputElement) return TEXT_INPUTS.has(el.type) && !el.readOnly && !el.disabled;
  return false;
}

/** The editable field an event target belongs to: a text control, or the topmost contenteditable. */
export function editableRoot(target: EventTarget | null): HTMLElement | null {
  if (!(target instanceof Element)) return null;
  if (isTextControl(target)) return target;
  let el: HTMLElement | null = target instanceof HTMLElement ? target : target.parentElement;
  if (!el || !el.isContentEditable) return null;
  while (el.parentElement && el.parentElement.isContentEditable) el = el.parentElement;
  return el;
}

function deepActive(doc: Document): Element | null {
  let a: Element | null = doc.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

function selectionFor(el: Element): Selection | null {
  const root = el.getRootNode() as Document | (ShadowRoot & { getSelection?: () => Selection | null });
  return ('getSelection' in root && typeof root.getSelection === 'function' ? root.getSelection() : null)
    ?? el.ownerDocument.getSelection();
}

class EditableField implements Field {
  private map: TextMap | null = null;
  constructor(readonly el: HTMLElement) {}

  read(): string {
    this.map = readEditable(this.el);
    return this.map.text;
  }

  private range(start: number, end: number): Range | null {
    if (!this.map) this.read();
    let r = rangeFor(this.map!, start, end);
    if (!r) { this.read(); r = rangeFor(this.map!, start, end); }
    return r;
  }

  rects(start: number, end: number): DOMRect[] {
    const r = this.range(start, end);
    if (!r) return [];
    return [...r.getClientRects()].filter((x) => x.width > 0.5 && x.height > 0.5);
  }

  focusAt(start: number, end: number): void {
    this.el.focus({ preventScroll: false });
    const r = this.range(start, end);
    const sel = selectionFor(this.el);
    if (r && sel) {
      sel.setBaseAndExtent(r.startContainer, r.startOffset, r.endContainer, r.endOffset);
      (r.startContainer.parentElement ?? this.el).scrollIntoView?.({ block: 'nearest' });
    }
  }

  caret(): number | null {
    if (deepActive(this.el.ownerDocument) !== this.el) return null;
    const sel = selectionFor(this.el);
    if (!sel || sel.rangeCount === 0 || !this.map) return null;
    const node = sel.focusNode;
    if (!node || !this.el.contains(node)) return null;
    const off = offsetOf(this.map, node, sel.focusOffset);
    return off < 0 ? null : off;
  }

  clip(): DOMRect {
    return this.el.getBoundingClientRect();
  }

  replace(start: number, end: number, text: string): Promise<boolean> {
    return typeOver(this, start, end, text);
  }
}

class ControlField implements Field {
  constructor(readonly el: TextControl) {}
  read(): string { return this.el.value; }
  rects(start: number, end: number): DOMRect[] { return controlRects(this.el, start, end); }
  focusAt(start: number, end: number): void {
    this.el.focus();
    this.el.setSelectionRange(start, end);
  }
  caret(): number | null {
    if (deepActive(this.el.ownerDocument) !== this.el) return null;
    return this.el.selectionEnd;
  }
  clip(): DOMRect {
    const b = this.el.getBoundingClientRect();
    return new DOMRect(b.left + this.el.clientLeft, b.top + this.el.clientTop, this.el.clientWidth, this.el.clientHeight);
  }
  replace(start: number, end: number, text: string): Promise<boolean> {
    return typeOver(this, start, end, text);
  }
}

const fields = new WeakMap<HTMLElement, Field>();

export function fieldFor(el: HTMLElement): Field {
  let f = fields.get(el);
  if (!f) {
    f = isTextControl(el) ? new ControlField(el) : new EditableField(el);
    fields.set(el, f);
  }
  return f;
}
