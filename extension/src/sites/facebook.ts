import type { SiteAdapter } from './types';

/** facebook.com: Lexical composers; comment boxes post on Enter. */
export const facebook: SiteAdapter = {
  id: 'facebook',
  hosts: ['facebook.com'],
  composers: ['div[role="textbox"][contenteditable="true"]'],
  composerRoots: ['form[method="POST"]', '[role="dialog"]', 'form'],
  altText: ['textarea[aria-label*="alt text" i]', 'input[aria-label*="alt text" i]'],
  fileInputs: ['input[type="file"]'],
  attachments: ['[role="dialog"] img[src^="blob:"]', 'form img[src^="blob:"]'],
  postButtons: ['div[role="button"][aria-label="Post"]', 'div[role="button"][aria-label="Comment"]', '#focused-state-composer-submit'],
  postLabel: /^(post|share now|comment|reply)$/i,
  modEnterPosts: false,
  enterPosts: ['div[role="textbox"][aria-label*="comment" i]', 'div[role="textbox"][aria-label*="reply" i]'],
};
