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
};
