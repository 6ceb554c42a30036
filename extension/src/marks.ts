/**
 * What the overlay draws, as data: a finding's mark, the composers that hold marks
 * (`Drawable`), the one-click fixes a card offers, and how marks on the same words
 * group into one card, most severe first. No DOM is written here (overlay.ts draws).
 */
import type { Finding } from './protocol';

/**
 * A one-click fix on the card: "Use initials" (names), "Remove", "Ignore once"
 * (where the policy allows posting anyway), "Always allow this word" (where the
 * policy lets the teacher keep own lists, and only for words `allowable`).
 */
export type Fix = 'initials' | 'remove' | 'ignore' | 'allow';

/**
 * The categories whose words come from term lists (the trust's and the built-in
 * pack's lists of sensitive phrases): the only words a teacher may "Always allow"
 * from the card. Never a pupil's or colleague's name (the roster), the school's name
 * or contact details, an affiliation (the school's name said without a disclaimer) or
 * a personal detail (a phone number, an address): the allow list is read before every
 * rule, so allowing those words would stop them being found in every post after.
 */
const ALLOWABLE = new Set<Finding['category']>(['confidential', 'conduct', 'image']);

/** Whether the card may offer "Always allow this word" for a finding (see ALLOWABLE); "Ignore once" is offered for any. */
export function allowable(f: Finding): boolean {
  return ALLOWABLE.has(f.category);
}

/** A finding drawn over a field: its words' client rects. */
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
  /** The fixes the card offers for these findings (one span), in order. */
  fixes(group: Finding[]): Fix[];
  /** Apply a fix to every finding of one span; resolves once the edit went through the editor. */
  fix(group: Finding[], fix: Fix): Promise<void>;
}

const SEVERITY_RANK = { block: 2, warn: 1, info: 0 } as const;
const CATEGORY_ORDER = ['pupil', 'staff', 'confidential', 'personal', 'conduct', 'school', 'affiliation', 'image'];

/** Most severe first; then the more personal category (a pupil before the school). */
export function bySeverity(a: Finding, b: Finding): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category);
}

/**
 * Marks on overlapping words of the same field, as one group a span (one card):
 * each group's findings most severe first. A finding on the same words as another
 * of the same rule (a name matched twice) is kept once.
 */
export function groupMarks(marks: Mark[]): Mark[][] {
  const sorted = [...marks].sort((a, b) => a.finding.start - b.finding.start || b.finding.end - a.finding.end);
  const groups: { field: string; end: number; marks: Mark[] }[] = [];
  for (const m of sorted) {
    const f = m.finding;
    const field = `${f.field}:${f.fieldIndex}`;
    const g = groups.find((x) => x.field === field && f.start < x.end && f.start >= x.marks[0]!.finding.start);
    if (g) {
      if (!g.marks.some((x) => x.finding.rule === f.rule && x.finding.start === f.start && x.finding.end === f.end)) g.marks.push(m);
      g.end = Math.max(g.end, f.end);
    } else groups.push({ field, end: f.end, marks: [m] });
  }
  return groups.map((g) => g.marks.sort((a, b) => bySeverity(a.finding, b.finding)));
}
