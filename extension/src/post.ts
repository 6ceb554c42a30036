/**
 * A post: every field the Post button sends, found around a field or a Post button
 * (the adapter's composerRoots, else the nearest element holding a field and a Post
 * button), its parts in the order the dialog lists them, checked together. Reads the
 * page, never writes it; the content script (content.ts) owns the composers and hands
 * them over through `bindPosts`.
 */
import { Composer, closestDeep, queryDeep, type ScanOutcome } from './composer';
import type { ShownFinding } from './dialog';
import { editableRoot } from './fields';
import type { Finding, Truncation } from './protocol';
import { t } from './i18n';
import type { SiteAdapter } from './sites';

/** What post.ts needs from the content script. */
export interface PostHost {
  /** The site's adapter. */
  site(): SiteAdapter;
  /** The part for a field typed in (its composer, made once). */
  composerFor(el: HTMLElement): Composer;
  /** Hears a part's new result (highlights redrawn, the badge reported). */
  onResult(c: Composer): void;
}

let host: PostHost;
/** Gives post.ts the content script's adapter and composers; call before the first post is looked for. */
export function bindPosts(h: PostHost): void { host = h; }
const site = (): SiteAdapter => host.site();
const composerFor = (el: HTMLElement): Composer => host.composerFor(el);
const onResult = (c: Composer): void => host.onResult(c);

/** What each post carries without an editor (saved alt, link card, file names), by the post's root. */
export const carriers = new Map<Element, Composer>();

// ---------- Post buttons, and what is around a field ----------

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
export function postButtonOf(path: EventTarget[]): Element | null {
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
export function scopeFor(el: Element): Element {
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

// ---------- a post: every field it sends ----------

const EDITABLE = '[contenteditable="true"], [contenteditable=""], [contenteditable="plaintext-only"], textarea, input';

/** The fields typed in under `root`, each once, in page order, through open shadow roots; hidden ones are not posted. */
function editablesIn(root: Element): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (const el of queryDeep(root, EDITABLE)) {
    const r = editableRoot(el);
    if (!r || out.includes(r) || (r instanceof HTMLInputElement && r.type === 'search') || !r.getClientRects().length) continue;
    out.push(r);
  }
  return out;
}

/**
 * The element around the post that `el` (a post button or a field) belongs to: the
 * first of the adapter's composerRoots, in the adapter's order, that is around `el`
 * and holds a field; else the nearest ancestor (below <body>) that holds a field and
 * a post button; else null.
 */
export function postRootFor(el: Element): Element | null {
  for (const sel of site().composerRoots) {
    const r = closestDeep(el, sel);
    if (r && editablesIn(r).length) return r;
  }
  const up = (e: Element): Element | null => e.parentElement ?? ((e.getRootNode() as ShadowRoot).host ?? null);
  let cur = up(el);
  for (let depth = 0; cur && depth < 12 && cur !== cur.ownerDocument.body; depth++) {
    if (hasPostButton(cur) && editablesIn(cur).length) return cur;
    cur = up(cur);
  }
  return null;
}

/** What a part of a post is, in the order the dialog lists them; 'carried': saved alt, link card, file names. */
type PartKind = 'title' | 'warning' | 'body' | 'poll' | 'alt' | 'link' | 'carried';
const PART_ORDER: PartKind[] = ['title', 'warning', 'body', 'poll', 'alt', 'link'];

/** One part of a post: the `n`th of `of` fields of its kind. */
interface Part { c: Composer; kind: PartKind; n: number; of: number }
/** One post: every field the Post button sends, checked together. */
export interface Post { root: Element | null; parts: Part[] }

/** The kind of a field typed in, from the adapter's data: a body (or a thread's draft) unless named otherwise. */
export function kindOf(el: HTMLElement): PartKind {
  for (const spec of site().fields ?? []) if (!spec.attr && el.matches(spec.selectors.join(','))) return spec.kind;
  return isAlt(el) ? 'alt' : 'body';
}

/** The composer of what the post under `root` carries besides its fields (saved alt, link card, file names), made once. */
export function carrierFor(root: Element): Composer {
  let c = carriers.get(root);
  if (!c) {
    c = new Composer(site(), null, root, onResult);
    carriers.set(root, c);
  }
  return c;
}

/** The post under `root`: its fields typed in, by kind in PART_ORDER and page order, then what it carries. */
function postAt(root: Element): Post {
  const fields = editablesIn(root).map((el) => ({ el, kind: kindOf(el) }));
  const parts: Part[] = [];
  for (const kind of PART_ORDER) {
    const same = fields.filter((f) => f.kind === kind);
    same.forEach((f, i) => parts.push({ c: composerFor(f.el), kind, n: i + 1, of: same.length }));
  }
  parts.push({ c: carrierFor(root), kind: 'carried', n: 1, of: 1 });
  return { root, parts };
}

/** The post a field belongs to (the field alone when no post is found around it). */
export function postOfField(el: HTMLElement): Post {
  const root = postRootFor(el);
  return root ? postAt(root) : { root: null, parts: [{ c: composerFor(el), kind: 'body', n: 1, of: 1 }] };
}

/** English ordinals ("2nd") for the English "in the 2nd post of the thread"; the Welsh string uses the number. */
function ordinal(n: number): string {
  const suffix: Record<string, string> = { one: 'st', two: 'nd', few: 'rd' };
  return `${n}${suffix[new Intl.PluralRules('en-GB', { type: 'ordinal' }).select(n)] ?? 'th'}`;
}

/** Where in the post a finding of part `p` is, as the dialog says it ("in the title"); undefined for a lone body. */
function whereOf(p: Part, f: Finding): string | undefined {
  switch (p.kind) {
    case 'carried': return f.field === 'link' ? t('where_link') : t(`field_${f.field}`);
    case 'body': return p.of > 1 ? t('where_thread', [ordinal(p.n), String(p.n)]) : undefined;
    case 'poll': return t('where_poll', String(p.n));
    case 'alt': return t('field_alt');
    case 'link': return t('field_link');
    default: return t(`where_${p.kind}`);
  }
}

/** A finding of a post: where it is, and the part it is in. */
export type PostFinding = ShownFinding & { part: Composer };
/** A post's outcome: its parts' outcomes merged (findings in part order). */
export type PostOutcome = { ok: true; findings: PostFinding[]; truncated: Truncation[] } | { ok: false; pending?: 'policy' };

/** Check every part of the post that has text (scans run at once); their outcomes merged. */
export async function checkPost(post: Post): Promise<PostOutcome> {
  const outs = await Promise.all(post.parts.map(async (p) => {
    if (p.c.isEmpty(p.c.draft())) return { p, out: { ok: true as const, findings: [], truncated: [] } satisfies ScanOutcome };
    return { p, out: (await p.c.check()).out };
  }));
  if (outs.some(({ out }) => !out.ok)) return outs.some(({ out }) => !out.ok && out.pending) ? { ok: false, pending: 'policy' } : { ok: false };
  const findings: PostFinding[] = [];
  const truncated: Truncation[] = [];
  for (const { p, out } of outs) {
    if (!out.ok) continue;
    truncated.push(...out.truncated);
    for (const f of out.findings) {
      const where = whereOf(p, f);
      findings.push({ ...f, ...(where ? { where } : {}), part: p.c });
    }
  }
  return { ok: true, findings, truncated };
}

/** The post a Post button sends: every field around it (a draft the page filled in, never focused, too). */
export function postForButton(btn: Element): Post | null {
  const root = postRootFor(btn);
  return root ? postAt(root) : null;
}
