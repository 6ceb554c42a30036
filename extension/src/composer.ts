/**
 * One part of a post on the page and the last engine result for it: a field the
 * teacher types in (the body, a thread's draft, a title, a content warning, a poll
 * option, an alt text), scanned as the draft's body; or, with no field, what the
 * post carries without an editor (saved alt of attached images, the link card, file
 * names), scanned as the draft's alt texts, links and files. A post is several parts
 * checked together (content.ts). Scans are coalesced (one in flight, the newest text
 * next), never block typing, and a result for text that has since changed is discarded.
 */
import { editableRoot, type Field } from './fields';
import { allowable, type Mark, type Drawable, type Fix } from './marks';
import type { Draft, Finding, Truncation } from './protocol';
import { request, send } from './protocol';
import { t } from './i18n';
import type { SiteAdapter } from './sites';

/**
 * A scan's outcome; `superseded`: a newer scan of this composer will answer instead;
 * `pending`: the engine is waiting for the trust's managed settings (no verdict yet).
 */
export type ScanOutcome = { ok: true; findings: Finding[]; truncated: Truncation[] } | { ok: false; superseded?: boolean; pending?: 'policy' };

let lanes = 0;

/** Walk up through shadow roots: the nearest ancestor (or self) matching `selector`. */
export function closestDeep(el: Element, selector: string): Element | null {
  let cur: Element | null = el;
  while (cur) {
    const hit = selector ? cur.closest(selector) : null;
    if (hit) return hit;
    const root = cur.getRootNode();
    cur = root instanceof ShadowRoot ? root.host : null;
  }
  return null;
}

/** Whether `node` is `ancestor` or inside it, through shadow roots. */
export function containsDeep(ancestor: Node, node: Node): boolean {
  let cur: Node | null = node;
  while (cur) {
    if (ancestor === cur || ancestor.contains(cur)) return true;
    const root = cur.getRootNode();
    cur = root instanceof ShadowRoot ? root.host : null;
  }
  return false;
}

/** Every element under `root` (and `root` itself) matching `selector`, through open shadow roots, in page order. */
export function queryDeep(root: Element, selector: string): Element[] {
  const out: Element[] = [];
  const walk = (scope: Element | ShadowRoot) => {
    for (const el of scope.querySelectorAll('*')) {
      if (el.matches(selector)) out.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  if (root.matches(selector)) out.push(root);
  if (root.shadowRoot) walk(root.shadowRoot);
  walk(root);
  return out;
}

/**
 * What a post under `root` carries without an editor, read as the post will send it:
 * the saved alt of attached images (in `alt`), link cards' text (in `links`) and the
 * names of files chosen (in `files`), each in page order.
 */
export function carried(adapter: SiteAdapter, root: Element): { alt: string[]; links: string[]; files: string[] } {
  const alt: string[] = [];
  const links: string[] = [];
  for (const spec of adapter.fields ?? []) {
    if (spec.kind !== 'alt' && spec.kind !== 'link') continue;
    for (const el of queryDeep(root, spec.selectors.join(','))) {
      if (!spec.attr && editableRoot(el)) continue; // typed in: a part of its own
      const text = (spec.attr ? el.getAttribute(spec.attr) : (el as HTMLElement).innerText ?? el.textContent) ?? '';
      if (text.trim()) (spec.kind === 'alt' ? alt : links).push(text.trim());
    }
  }
  const sel = adapter.fileInputs.join(',');
  const files = sel ? (queryDeep(root, sel) as HTMLInputElement[]).filter((i) => i.type === 'file').flatMap((i) => [...(i.files ?? [])].map((f) => f.name)) : [];
  return { alt, links, files };
}

export function draftKey(d: Draft): string {
  return JSON.stringify([d.body, d.alt ?? [], d.files ?? [], d.links ?? []]);
}

/** The organisation's reminder in force now (set by the content script from the policy). */
let noteSource: () => string | null = () => null;
export function setNoteSource(f: () => string | null): void { noteSource = f; }

/** What the card's fixes need of the policy (null until it is read: then only the edits are offered). */
export interface FixPolicy { overrideAllowed: boolean; overrideReasonRequired: boolean; userTermsAllowed: boolean }
let fixPolicy: () => FixPolicy | null = () => null;
export function setFixPolicy(f: () => FixPolicy | null): void { fixPolicy = f; }

/** "Tom Smith" → "T.S.": the first letter of each word, with a full stop. */
export function initials(words: string): string {
  return words.split(/[\s\u00a0]+/).filter(Boolean).map((w) => `${[...w][0]!.toLocaleUpperCase()}.`).join('');
}

/** A finding "Ignore once" dismissed for this draft: the same rule on the same words. */
const ignoreKey = (f: Finding) => `${f.field}\u0000${f.fieldIndex}\u0000${f.rule}\u0000${f.text}`;

/** While a check fails, try again this often (the background is restarting the engine). */
const RETRY_MS = 2000;

export class Composer implements Drawable {
  findings: Finding[] = [];
  /** Fields of the draft too long to check fully (from the last result): the post is held. */
  truncated: Truncation[] = [];
  /** Key of the draft `findings` belong to; null before the first result. */
  key: string | null = null;
  failed = false;
  /** The last answer was "waiting for the trust's settings": no verdict, asked again shortly. */
  pending = false;
  lastActive = Date.now();
  private readonly lane = ++lanes;
  /** Scans sent and not yet answered, newest last. */
  private inflight: { key: string; promise: Promise<ScanOutcome> }[] = [];
  private queued = false;
  private dirty = false;
  private text = '';
  /** Bumped on every change; the text read last is current when `readAt === changes`. */
  private changes = 0;
  private readAt = -1;
  private retry = 0;
  /** Findings "Ignore once" dismissed in this draft (not held, not drawn). */
  private ignored = new Set<string>();

  constructor(
    readonly adapter: SiteAdapter,
    /** The field typed in; null for what the post carries without an editor. */
    readonly field: Field | null,
    /** The post this part belongs to (its root element). */
    readonly scope: Element,
    private readonly onResult: (c: Composer) => void,
    /** Which field of the engine's draft the text is (term lists may apply to alt texts or links only). */
    readonly as: 'body' | 'alt' | 'link' = 'body',
  ) {}

  /** Whether the post around `root` carries an image or other media. */
  static hasImage(adapter: SiteAdapter, root: Element): boolean {
    const files = adapter.fileInputs.join(',');
    if (files && (queryDeep(root, files) as HTMLInputElement[]).some((i) => i.type === 'file' && (i.files?.length ?? 0) > 0)) return true;
    const sel = adapter.attachments.join(',');
    return !!sel && queryDeep(root, sel).length > 0;
  }

  /** The part as the post would send it now: the field's text as `body`, or what the post carries. */
  draft(): Draft {
    this.readAt = this.changes;
    if (this.field) {
      this.text = this.field.read();
      const t = this.text;
      return this.as === 'alt' ? { body: '', alt: [t], files: [], links: [] }
        : this.as === 'link' ? { body: '', alt: [], files: [], links: [t] } : { body: t, alt: [], files: [], links: [] };
    }
    this.text = '';
    return { body: '', ...carried(this.adapter, this.scope) };
  }

  isEmpty(d: Draft): boolean {
    return !d.body.trim() && !(d.alt ?? []).some((a) => a.trim()) && !(d.files ?? []).length && !(d.links ?? []).some((a) => a.trim());
  }

  /** The last result, if it is for exactly this draft. */
  cached(d: Draft): ScanOutcome | null {
    if (this.key !== draftKey(d)) return null;
    if (this.pending) return { ok: false, pending: 'policy' };
    return this.failed ? { ok: false } : { ok: true, findings: this.findings, truncated: this.truncated };
  }

  /**
   * Text changed: scan it. All changes in one task make one scan (the editor's
   * several DOM writes for one keystroke), at most four scans are in flight (the background runs only the newest of those queued);
   * past that the newest text waits for an answer. Typing is never blocked.
   */
  changed(): void {
    this.lastActive = Date.now();
    this.changes++;
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      if (this.inflight.length >= 4) { this.dirty = true; return; }
      void this.scan(this.draft());
    });
  }

  /** The outcome for the draft as it is now, scanning if needed (never 'superseded'). */
  async check(): Promise<{ draft: Draft; out: ScanOutcome }> {
    for (;;) {
      const draft = this.draft();
      const out = await this.scan(draft);
      if (!('superseded' in out && out.superseded)) return { draft, out };
    }
  }

  /** Scan this draft now, or join the scan already running for it. */
  scan(d: Draft): Promise<ScanOutcome> {
    const key = draftKey(d);
    const running = this.inflight.find((s) => s.key === key);
    if (running) return running.promise;
    // Only a verdict is reused: a failed or pending check is asked again.
    if (this.key === key && !this.failed && !this.pending) return Promise.resolve(this.cached(d)!);
    const promise = request({ kind: 'scan', draft: d, lane: this.lane }).then((res): ScanOutcome =>
      res.kind === 'scanResult' ? { ok: true, findings: this.unignored(res.findings), truncated: res.truncated ?? [] }
        : res.kind === 'superseded' ? { ok: false, superseded: true }
          : res.kind === 'pending' ? { ok: false, pending: res.reason } : { ok: false });
    const mine = { key, promise };
    this.inflight.push(mine);
    void promise.then((out) => {
      this.inflight = this.inflight.filter((s) => s !== mine);
      const current = draftKey(this.draft());
      if (current === key && !('superseded' in out && out.superseded)) {
        this.key = key;
        this.pending = !out.ok && !!out.pending;
        this.failed = !out.ok && !this.pending;
        this.findings = out.ok ? out.findings : [];
        this.truncated = out.ok ? out.truncated : [];
        this.onResult(this);
        if (!out.ok) this.retryLater();
      }
      // A result for text that has since changed is dropped; the newest text is scanned.
      if (this.dirty) {
        this.dirty = false;
        this.changed();
      }
    });
    return promise;
  }

  /** The check failed or is pending: ask again shortly, so the banner goes once the engine is back. */
  private retryLater(): void {
    if (this.retry) return;
    this.retry = window.setTimeout(() => {
      this.retry = 0;
      const el = this.field?.el ?? this.scope;
      if (!(this.failed || this.pending) || !el.isConnected) return;
      this.key = null;
      this.changed();
    }, RETRY_MS);
  }

  // ---- Drawable ----

  note(): string | null {
    return noteSource();
  }

  /** The field a finding of this part is in (null for what the post carries without an editor). */
  fieldOf(f: Finding): Field | null {
    return f.field === this.as && f.fieldIndex === 0 ? this.field : null;
  }

  private textOf(f: Finding): string | null {
    return this.fieldOf(f) ? this.text : null;
  }

  marks(): Mark[] {
    const out: Mark[] = [];
    // Re-read so that marks follow edits made since the result; a finding whose
    // words are no longer at its span is not drawn until the next result.
    if (this.findings.length && this.readAt !== this.changes) this.draft();
    for (const f of this.findings) {
      const field = this.fieldOf(f);
      const text = this.textOf(f);
      if (!field || text === null || text.slice(f.start, f.end) !== f.text) continue;
      out.push({ finding: f, rects: field.rects(f.start, f.end), clip: field.clip() });
    }
    return out;
  }

  clip(): DOMRect | null {
    return this.field?.clip() ?? null;
  }

  banner(): string | null {
    return this.failed ? t('couldNotCheck') : this.pending ? t('waitingForPolicy') : this.truncated.length ? t('tooLongToCheck') : null;
  }

  atCaret(): Finding | null {
    for (const f of this.findings) {
      const field = this.fieldOf(f);
      const c = field?.caret();
      if (c !== null && c !== undefined && c >= f.start && c <= f.end) return f;
    }
    return null;
  }

  private unignored(fs: Finding[]): Finding[] {
    return this.ignored.size ? fs.filter((f) => !this.ignored.has(ignoreKey(f))) : fs;
  }

  fixes(group: Finding[]): Fix[] {
    const lead = group[0];
    if (!lead) return [];
    const out: Fix[] = [];
    if (this.fieldOf(lead)) {
      if (group.some((f) => f.category === 'pupil' || f.category === 'staff') && initials(lead.text) !== lead.text) out.push('initials');
      out.push('remove');
    }
    const p = fixPolicy();
    // "Ignore once" is a post anyway for these words: only where the policy offers that without a reason.
    if (p?.overrideAllowed && !p.overrideReasonRequired) out.push('ignore');
    if (p?.userTermsAllowed && group.every(allowable)) out.push('allow');
    return out;
  }

  async fix(group: Finding[], fix: Fix): Promise<void> {
    const lead = group[0];
    if (!lead || !this.fixes(group).includes(fix)) return;
    if (fix === 'ignore') {
      for (const f of group) this.ignored.add(ignoreKey(f));
      this.findings = this.unignored(this.findings);
      void send({ kind: 'override' });
      this.onResult(this);
      return;
    }
    if (fix === 'allow') {
      const res = await send({ kind: 'allowTerm', term: lead.text });
      if (res.kind !== 'ok') return;
      this.key = null;
      this.changed();
      return;
    }
    const field = this.fieldOf(lead);
    if (!field) return;
    const text = field.read();
    let start = Math.min(...group.map((f) => f.start)), end = Math.max(...group.map((f) => f.end));
    if (text.slice(lead.start, lead.end) !== lead.text) return; // the words moved: the next result draws them again
    let replacement = initials(text.slice(start, end));
    if (fix === 'remove') {
      replacement = '';
      // One space goes with the words, so no double space or space before a full stop is left.
      if (text[start - 1] === ' ' && (end === text.length || /[\s.,!?;:)]/.test(text[end]!))) start -= 1;
      else if (text[end] === ' ' && (start === 0 || /\s/.test(text[start - 1]!))) end += 1;
    }
    await field.replace(start, end, replacement);
    this.changed();
  }

  /** "Edit draft": focus the field of this part's finding `f` with its words selected; false if it has no field. */
  focusAt(f: Finding): boolean {
    const field = this.fieldOf(f);
    if (!field) return false;
    field.focusAt(f.start, f.end);
    return true;
  }
}
