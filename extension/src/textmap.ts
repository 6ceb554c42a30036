/**
 * Reads the text of a contenteditable editor together with a map from text
 * offsets (UTF-16 code units, as the engine reports them) back to DOM positions.
 *
 * Block elements and <br> become line breaks; everything else that is text
 * (mentions, hashtags, links) is text. The editor's DOM is only read.
 */

const BLOCK = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION',
  'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN',
  'NAV', 'OL', 'P', 'PRE', 'SECTION', 'TABLE', 'TR', 'UL',
]);
const ZERO_WIDTH = /^[\u200b\ufeff]+$/;
const SKIP = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'IMG', 'SVG', 'VIDEO', 'AUDIO', 'CANVAS']);

interface Segment {
  node: Text;
  /** Offset of the node's first code unit in the text. */
  start: number;
}

export interface TextMap {
  text: string;
  segments: Segment[];
}

export function readEditable(root: Element): TextMap {
  const parts: string[] = [];
  const segments: Segment[] = [];
  let length = 0;
  let lastChar = '\n'; // nothing before the start: no leading break

  const breakLine = () => {
    if (lastChar !== '\n') { parts.push('\n'); length += 1; lastChar = '\n'; }
  };

  const walk = (node: Node): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === Node.TEXT_NODE) {
        const data = (child as Text).data;
        // Empty nodes, and the zero-width placeholders editors keep for the caret
        // (Slate's data-slate-zero-width, Quill's .ql-cursor), are not text.
        if (data.length === 0 || ZERO_WIDTH.test(data)) continue;
        segments.push({ node: child as Text, start: length });
        parts.push(data);
        length += data.length;
        lastChar = data[data.length - 1]!;
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        const el = child as Element;
        const tag = el.tagName.toUpperCase();
        if (SKIP.has(tag) || (el as HTMLElement).hidden || el.getAttribute('aria-hidden') === 'true') continue;
        if (tag === 'BR') {
          // A <br> that only props open an empty block adds nothing beyond the block's own break.
          if (el.nextSibling || !BLOCK.has((el.parentElement?.tagName ?? '').toUpperCase())) {
            parts.push('\n'); length += 1; lastChar = '\n';
          }
          continue;
        }
        const block = BLOCK.has(tag);
        if (block) breakLine();
        walk(el);
        if (block) breakLine();
      }
    }
  };
  walk(root);
  let text = parts.join('');
  // A trailing break from the last block is layout, not text.
  if (text.endsWith('\n') && lastChar === '\n') text = text.slice(0, -1);
  return { text, segments };
}

/**
 * Index of the segment for `offset`, by binary search. A range's start at the end of
 * one text node moves to the next node; a range's end stays in the node it ends.
 */
function segmentAt(map: TextMap, offset: number, isStart: boolean): number {
  const segs = map.segments;
  let lo = 0;
  let hi = segs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const st = segs[mid]!.start;
    if (isStart ? st <= offset : st < offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  if (found < 0) return segs.length ? 0 : -1;
  const seg = segs[found]!;
  if (isStart && offset >= seg.start + seg.node.data.length && found + 1 < segs.length) return found + 1;
  return found;
}

function position(map: TextMap, offset: number, isStart: boolean): [Text, number] | null {
  const i = segmentAt(map, offset, isStart);
  if (i < 0) return null;
  const seg = map.segments[i]!;
  const local = Math.max(0, Math.min(seg.node.data.length, offset - seg.start));
  return [seg.node, local];
}

/** A DOM Range for text[start, end), or null if the map no longer fits the DOM. */
export function rangeFor(map: TextMap, start: number, end: number): Range | null {
  const a = position(map, start, true);
  const b = position(map, end, false);
  if (!a || !b) return null;
  if (!a[0].isConnected || !b[0].isConnected) return null;
  const range = a[0].ownerDocument.createRange();
  try {
    range.setStart(a[0], a[1]);
    range.setEnd(b[0], b[1]);
  } catch {
    return null;
  }
  return range;
}

/** Inverse of rangeFor for a caret: the text offset of a DOM position inside the editor, or -1. */
export function offsetOf(map: TextMap, node: Node, offset: number): number {
  if (node.nodeType === Node.TEXT_NODE) {
    const seg = map.segments.find((s) => s.node === node);
    return seg ? seg.start + offset : -1;
  }
  // An element position: find the first text segment after it.
  const child = node.childNodes[offset] ?? null;
  for (const seg of map.segments) {
    if (child && (child === seg.node || child.contains(seg.node))) return seg.start;
  }
  return -1;
}
