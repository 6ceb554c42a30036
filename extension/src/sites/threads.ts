import type { SiteAdapter } from './types';

/**
 * Threads (threads.net and threads.com): Lexical composers in a dialog; a thread is
 * one editor a post ("Add to thread"), all sent by one button; Ctrl/Cmd+Enter posts.
 */
export const threads: SiteAdapter = {
  id: 'threads',
  hosts: ['threads.net', 'threads.com'],
  composers: ['div[role="textbox"][contenteditable="true"]'],
  composerRoots: ['[role="dialog"]', 'form'],
  altText: ['textarea[placeholder*="alt text" i]', 'input[placeholder*="alt text" i]', '[aria-label*="alt text" i][contenteditable="true"]'],
  fileInputs: ['input[type="file"]'],
  attachments: ['[role="dialog"] img[src^="blob:"]', '[role="dialog"] video'],
  fields: [{ kind: 'alt', selectors: ['[role="dialog"] img[src^="blob:"][alt]'], attr: 'alt' }],
  postButtons: [],
  postLabel: /^(post|reply)$/i,
  modEnterPosts: true,
  enterPosts: [],
  // A profile's "Follow" / "Follow back" (display name the h1, username the h2).
  contact: {
    connect: [],
    connectLabel: /^(follow|follow back)$/i,
    people: ['[role="listitem"]'],
    names: ['span[dir="auto"]:not(a *)'],
    handles: ['a[href^="/@"]'],
    pageNames: ['main h1'],
    pageHandles: ['main h2'],
  },
};
