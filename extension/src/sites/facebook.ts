import type { SiteAdapter } from './types';

/** facebook.com: Lexical composers; comment boxes post on Enter. */
export const facebook: SiteAdapter = {
  id: 'facebook',
  hosts: ['facebook.com'],
  composers: ['div[role="textbox"][contenteditable="true"]'],
  composerRoots: ['form[method="POST"]', 'form', '[role="dialog"]'],
  altText: ['textarea[aria-label*="alt text" i]', 'input[aria-label*="alt text" i]'],
  fileInputs: ['input[type="file"]'],
  attachments: ['[role="dialog"] img[src^="blob:"]', 'form img[src^="blob:"]'],
  fields: [{ kind: 'alt', selectors: ['form[method="POST"] img[src^="blob:"][alt]', '[role="dialog"] img[src^="blob:"][alt]'], attr: 'alt' }],
  postButtons: ['div[role="button"][aria-label="Post"]', 'div[role="button"][aria-label="Comment"]', '#focused-state-composer-submit'],
  postLabel: /^(post|share now|comment|reply)$/i,
  modEnterPosts: false,
  enterPosts: ['div[role="textbox"][aria-label*="comment" i]', 'div[role="textbox"][aria-label*="reply" i]'],
  // Friend requests (facebook.com/friends/requests: each request a card with "Confirm"
  // and "Delete"), a profile's "Add friend", and Messenger conversations
  // (facebook.com/messages/t/...). Buttons are div[role=button] named by aria-label.
  contact: {
    connect: ['div[role="button"][aria-label="Confirm"]', 'div[role="button"][aria-label="Add friend"]', 'div[role="button"][aria-label="Add Friend"]'],
    connectLabel: /^(confirm|confirm request|add friend|follow)$/i,
    people: ['[role="listitem"]', '[role="gridcell"]'],
    names: ['a[role="link"] span[dir="auto"]', 'span[dir="auto"]', 'a[role="link"]'],
    pageNames: ['[role="main"] h1'],
    requestLists: ['[role="navigation"][aria-label="Friend requests"]', '[role="list"][aria-label="Friend requests"]'],
    conversations: {
      roots: ['[role="main"][aria-label^="Conversation with"]', '[role="main"]:has(div[role="textbox"][aria-label="Message"])'],
      names: ['h2 span[dir="auto"]', 'h2'],
      send: ['div[role="button"][aria-label="Press enter to send"]', 'div[role="button"][aria-label="Send"]'],
      sendLabel: /^(send|press enter to send)$/i,
      composers: ['div[role="textbox"][aria-label="Message"]'],
    },
  },
};
