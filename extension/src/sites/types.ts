import type { ContactFlow } from '../contact-flow';

export type { ContactFlow, ConversationFlow } from '../contact-flow';

/**
 * One adapter per site: which elements are its composers, alt-text fields, file
 * inputs and post buttons, and which keys post. An adapter knows its site and
 * nothing about matching. Every editable field on a supported site is watched
 * anyway; the selectors tie fields and buttons to one composer and find drafts
 * that were filled in before the page was touched.
 */
export interface SiteAdapter {
  id: string;
  /** Host names served (a host matches itself and its subdomains). */
  hosts: string[];
  /** For sites on any host (Mastodon): recognise the page itself. */
  detect?(doc: Document): boolean;
  /** The main text editors. */
  composers: string[];
  /** The element around one composer that also holds its buttons, alt fields and files. */
  composerRoots: string[];
  /** Image description (alt text) fields. */
  altText: string[];
  /** <input type=file> elements whose file names are scanned. */
  fileInputs: string[];
  /** Images already attached to the draft (they earn the image reminder). */
  attachments: string[];
  /** Buttons that post. */
  postButtons: string[];
  /** For buttons without stable selectors: an accessible name that means "post". */
  postLabel?: RegExp;
  /** Ctrl/Cmd+Enter posts. */
  modEnterPosts: boolean;
  /** Fields in which a plain Enter posts (comment boxes on some sites). */
  enterPosts: string[];
  /**
   * Connecting with people (friend, follow and connection requests; direct messages),
   * checked against the pupil roster (contact.ts). `null`: the site has no such flow.
   */
  contact?: ContactFlow | null;
}

export function hostMatches(hostname: string, hosts: string[]): boolean {
  return hosts.some((h) => hostname === h || hostname.endsWith(`.${h}`));
}
