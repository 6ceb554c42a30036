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
  /** The main text editors. Several in one post are the drafts of a thread, in page order. */
  composers: string[];
  /**
   * The element around one post: every field it sends, its buttons, alt fields and
   * files. Tried in this order (the first that holds a field wins), so a form that
   * holds a title and a body comes before the body editor's own wrapper.
   */
  composerRoots: string[];
  /**
   * The post's other fields, beyond `composers`, `altText` and `fileInputs`: a title,
   * a content warning, poll options, the saved alt of attached images, the link card.
   * Checked at Post with the body; fields typed in are highlighted like the body.
   */
  fields?: PostField[];
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

/** What a field of a post is: it says where a finding is ("in the title"). */
export type PostFieldKind = 'title' | 'warning' | 'poll' | 'alt' | 'link';

/**
 * One kind of field a post sends. An element matched that the teacher types in (a
 * text control or contenteditable) is read as typed; any other element is read from
 * `attr` (e.g. `alt` of an attached image: its saved description) or, without `attr`,
 * from its text (a link card's title and description). Only `alt` and `link` may be
 * read from elements that are not typed in.
 */
export interface PostField {
  kind: PostFieldKind;
  selectors: string[];
  /** Read this attribute of the element, not its text. */
  attr?: string;
}

export function hostMatches(hostname: string, hosts: string[]): boolean {
  return hosts.some((h) => hostname === h || hostname.endsWith(`.${h}`));
}
