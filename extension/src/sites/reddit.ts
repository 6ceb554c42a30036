import type { SiteAdapter } from './types';

/** reddit.com: shreddit web components (open shadow roots) for posts and comments. */
export const reddit: SiteAdapter = {
  id: 'reddit',
  hosts: ['reddit.com'],
  composers: ['shreddit-composer div[contenteditable="true"]', 'div[slot="rte"][contenteditable="true"]', 'textarea[name="title"]', 'textarea[name="body"]'],
  composerRoots: ['shreddit-composer', 'comment-composer-host', 'form', 'faceplate-form'],
  altText: ['textarea[name*="caption" i]', 'input[name*="alt" i]', 'textarea[placeholder*="alt text" i]'],
  fileInputs: ['input[type="file"]'],
  attachments: ['shreddit-composer img[src^="blob:"]'],
  postButtons: ['#submit-post-button', 'button[slot="submit-button"]', 'shreddit-composer button[type="submit"]'],
  postLabel: /^(post|comment|reply|save)$/i,
  modEnterPosts: true,
  enterPosts: [],
};
