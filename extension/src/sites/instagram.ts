import type { SiteAdapter } from './types';

/** instagram.com: the caption editor of a new post, and comment boxes (Enter posts). */
export const instagram: SiteAdapter = {
  id: 'instagram',
  hosts: ['instagram.com'],
  composers: ['div[aria-label^="Write a caption" i][contenteditable="true"]', 'textarea[aria-label^="Add a comment" i]'],
  composerRoots: ['[role="dialog"]', 'form', 'section'],
  altText: ['input[placeholder*="alt text" i]', 'textarea[placeholder*="alt text" i]', 'input[aria-label*="alt text" i]'],
  fileInputs: ['input[type="file"]'],
  attachments: ['[role="dialog"] img[src^="blob:"]'],
  postButtons: ['form button[type="submit"]'],
  postLabel: /^(share|post)$/i,
  modEnterPosts: false,
  enterPosts: ['textarea[aria-label^="Add a comment" i]'],
  // Follow requests (the activity list: each request with "Confirm" and "Delete"), a
  // profile's "Follow" / "Follow Back" (the username is the header's h2), and
  // conversations (instagram.com/direct/t/...: a "Message" textbox, a "Send" button).
  contact: {
    connect: [],
    connectLabel: /^(confirm|follow|follow back)$/i,
    people: ['[role="listitem"]'],
    names: ['span[dir="auto"]:not(a *)'],
    handles: ['a[href^="/"][role="link"]', 'a[href^="/"]'],
    pageNames: ['main header section span[dir="auto"]:not(h2 *):not(a *):not(button *)'],
    pageHandles: ['main header section h2', 'main header h2'],
    requestLists: ['[role="list"][aria-label="Follow requests"]', '[aria-label="Follow requests"]'],
    conversations: {
      roots: ['[role="main"]:has(div[role="textbox"][aria-label="Message"])'],
      names: ['header span[dir="auto"]:not(a *)', 'h2 span'],
      handles: ['header a[href^="/"]'],
      send: [],
      sendLabel: /^send$/i,
      composers: ['div[role="textbox"][aria-label="Message"]'],
    },
  },
};
