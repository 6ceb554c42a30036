/**
 * Client rectangles of a span of text inside a <textarea> or <input>, by the
 * mirror-element technique: an off-screen element styled like the control holds a
 * copy of its value, and the span's rects are measured there. The control itself
 * is never touched.
 */

const COPIED = [
  'direction', 'fontFamily', 'fontSize', 'fontStyle', 'fontVariant', 'fontWeight', 'fontStretch',
  'fontSizeAdjust', 'fontKerning', 'fontFeatureSettings', 'fontVariationSettings', 'lineHeight',
  'letterSpacing', 'wordSpacing', 'textAlign', 'textTransform', 'textIndent', 'tabSize',
  'paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft', 'wordBreak', 'hyphens',
] as const;

let host: HTMLElement | null = null;

/** Where mirrors live: set by the overlay (inside its shadow root, off screen). */
export function setMirrorHost(el: HTMLElement): void { host = el; }

export type TextControl = HTMLTextAreaElement | HTMLInputElement;

export function controlRects(el: TextControl, start: number, end: number): DOMRect[] {
  if (!host || start >= end) return [];
  const cs = getComputedStyle(el);
  const isInput = el instanceof HTMLInputElement;
  const mirror = el.ownerDocument.createElement('div');
  const s = mirror.style;
  for (const p of COPIED) (s as unknown as Record<string, string>)[p] = cs[p];
  const padL = parseFloat(cs.paddingLeft) || 0;
  const padR = parseFloat(cs.paddingRight) || 0;
  s.position = 'absolute';
  s.visibility = 'hidden';
  s.top = '0';
  s.left = '0';
  s.boxSizing = 'content-box';
  s.border = '0';
  s.margin = '0';
  s.overflow = 'hidden';
  // The client box excludes borders and scrollbars: the text wraps at this width.
  s.width = `${Math.max(0, el.clientWidth - padL - padR)}px`;
  s.whiteSpace = isInput ? 'pre' : 'pre-wrap';
  s.overflowWrap = isInput ? 'normal' : 'break-word';
  const value = el.value;
  mirror.append(value.slice(0, start));
  const span = el.ownerDocument.createElement('span');
  span.textContent = value.slice(start, end);
  mirror.append(span, value.slice(end) || '\u200b');
  host.append(mirror);
  try {
    const m = mirror.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    const originX = box.left + el.clientLeft - el.scrollLeft;
    let originY = box.top + el.clientTop - el.scrollTop;
    const rects = [...span.getClientRects()];
    if (isInput && rects.length) {
      // An input centres its one line in its content box.
      const padT = parseFloat(cs.paddingTop) || 0;
      const padB = parseFloat(cs.paddingBottom) || 0;
      const contentH = el.clientHeight - padT - padB;
      const h = rects[0]!.height;
      originY = box.top + el.clientTop + padT + (contentH - h) / 2 - (rects[0]!.top - m.top - padT);
    }
    return rects.map((r) => new DOMRect(originX + (r.left - m.left), originY + (r.top - m.top), r.width, r.height));
  } finally {
    mirror.remove();
  }
}
