import type { SiteAdapter } from './types';

/**
 * Any other page the extension runs on (loopback test pages, sites an admin
 * adds): every editable field is a composer; buttons are known by their names.
 */
export const generic: SiteAdapter = {
  id: 'generic',
  hosts: [],
  composers: ['[data-postsafe-composer] [contenteditable="true"]', '[data-postsafe-composer] textarea'],
  composerRoots: ['[data-postsafe-composer]', 'form', '[role="dialog"]'],
  altText: ['[aria-label*="alt text" i]', '[name*="alt" i]', '[placeholder*="alt text" i]', '[aria-label*="image description" i]'],
  fileInputs: ['input[type="file"]'],
  attachments: ['img[src^="blob:"]', 'img[src^="data:"]'],
  postButtons: ['[data-postsafe-post]', 'button[type="submit"]', 'input[type="submit"]'],
  postLabel: /^(post|send|publish|reply|share|tweet|toot|comment)\b/i,
  modEnterPosts: true,
  enterPosts: [],
};
