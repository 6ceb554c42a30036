/**
 * Who a click or a conversation is about, read from the page as it shows them: the
 * display name and @handle near a connect button (or the profile's own), the person of
 * an open conversation. Reading only; what a site looks like is data
 * (`SiteAdapter.contact`, contact-flow.ts); contact.ts asks the engine about the person.
 */
import type { ContactFlow, ConversationFlow } from './contact-flow';

/** A person as the page shows them, and the element their name is in (to mark). */
export interface Person { name: string; handle: string | null; key: string; nameEl: Element }

/** What a page uses as a button (a connect, send or submit control). */
export const BUTTONISH = 'button, [role="button"], a[role="link"], input[type="submit"], input[type="button"]';

/** What a control says: its aria-label, value or text, spaces collapsed. */
export function label(el: Element): string {
  return (el.getAttribute('aria-label') || (el as HTMLInputElement).value || el.textContent || '').replace(/\s+/g, ' ').trim();
}

/** Whether `el` matches any of the selectors `sels` (none: false). */
export function matchesAny(el: Element, sels: string[] | undefined): boolean {
  return !!sels?.length && el.matches(sels.join(','));
}

/** The text of an element, spaces collapsed. */
export function textOf(el: Element): string {
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The first element under `scope` matching `sels` whose text is a name (not a handle). */
export function nameIn(scope: ParentNode, sels: string[] | undefined): Element | null {
  if (!sels?.length) return null;
  for (const el of scope.querySelectorAll(sels.join(','))) {
    const s = textOf(el);
    if (s && !s.startsWith('@')) return el;
  }
  return null;
}

/** The @handle under `scope`: text beginning with @, or the last part of a link's path. */
export function handleIn(scope: ParentNode, sels: string[] | undefined): string | null {
  if (!sels?.length) return null;
  for (const el of scope.querySelectorAll(sels.join(','))) {
    const s = textOf(el);
    if (s.startsWith('@')) return s.split(' ')[0]!;
    // A heading that is one word is a username (Instagram's and Threads' profile h2).
    if (/^H[1-6]$/.test(el.tagName) && s && !/\s/.test(s)) return s;
    const href = el instanceof HTMLAnchorElement ? el.getAttribute('href') : null;
    if (href && !s.startsWith('@')) {
      try {
        const parts = new URL(href, location.href).pathname.split('/').filter(Boolean);
        const last = parts.at(-1);
        if (last) return decodeURIComponent(last);
      } catch { /* not a link */ }
    }
  }
  return null;
}

/** The person whose name is in `nameEl` (the key: name and handle, for asking the engine once). */
export function person(nameEl: Element, handle: string | null): Person {
  const name = textOf(nameEl);
  return { name, handle, key: `${name}\u0000${handle ?? ''}`, nameEl };
}

/** The person a connect button is for: the nearest person element holding a name, else the page's own (a profile). */
export function personFor(btn: Element, flow: ContactFlow): Person | null {
  const sel = flow.people.join(',');
  for (let cur: Element | null = sel ? btn.closest(sel) : null; cur; cur = cur.parentElement?.closest(sel) ?? null) {
    const n = nameIn(cur, flow.names);
    if (n) return person(n, handleIn(cur, flow.handles));
  }
  const said = btn.getAttribute('aria-label') ?? '';
  for (const re of flow.labelNames ?? []) {
    const m = re.exec(said)?.[1]?.trim();
    if (!m) continue;
    const handle = m.startsWith('@') ? m : null;
    // The name as the page shows it, where there is one; the button itself is what gets marked.
    const page = nameIn(document, flow.pageNames);
    const name = handle ? (page ? textOf(page) : '') : m;
    return { name, handle, key: `${name}\u0000${handle ?? ''}`, nameEl: handle && page ? page : btn };
  }
  const n = nameIn(document, flow.pageNames);
  return n ? person(n, handleIn(document, flow.pageHandles)) : null;
}

/** The person of an open conversation under `root`, or null when no name is shown. */
export function conversationPerson(root: Element, c: ConversationFlow): Person | null {
  const n = nameIn(root, c.names);
  return n ? person(n, handleIn(root, c.handles)) : null;
}

/** A click or key on a connect button or a conversation's send, and who it is for. */
export interface Hit { el: Element; kind: 'connect' | 'reply'; person: Person }

/** What the event path `path` (innermost first) is: a connect or a reply, and for whom; null for anything else. */
export function hitOf(path: EventTarget[], flow: ContactFlow): Hit | null {
  for (const target of path) {
    if (!(target instanceof Element)) continue;
    const connect = matchesAny(target, flow.connect) || (!!flow.connectLabel && target.matches(BUTTONISH) && flow.connectLabel.test(label(target)));
    if (connect) {
      const p = personFor(target, flow);
      return p ? { el: target, kind: 'connect', person: p } : null;
    }
    const c = flow.conversations;
    if (c && (matchesAny(target, c.send) || (!!c.sendLabel && target.matches(BUTTONISH) && c.sendLabel.test(label(target))))) {
      const root = target.closest(c.roots.join(','));
      const p = root ? conversationPerson(root, c) : null;
      return p ? { el: target, kind: 'reply', person: p } : null;
    }
    if (target.matches(BUTTONISH)) return null; // some other button
  }
  return null;
}
