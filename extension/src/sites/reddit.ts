import type { SiteAdapter } from './types';

/**
 * reddit.com: shreddit web components (open shadow roots) for posts and comments. A
 * post sends its title, its body (or a link) and its images' captions together; the
 * Post button sits outside the body editor's own element, so the form comes first.
 */
export const reddit: SiteAdapter = {
  id: 'reddit',
  hosts: ['reddit.com'],
  composers: ['shreddit-composer div[contenteditable="true"]', 'div[slot="rte"][contenteditable="true"]', 'textarea[name="body"]'],
  composerRoots: ['shreddit-post-composer', 'faceplate-form', 'form', 'comment-composer-host', 'shreddit-composer'],
  fields: [
    { kind: 'title', selectors: ['textarea[name="title"]', 'input[name="title"]'] },
    { kind: 'link', selectors: ['textarea[name="link"]', 'input[name="url"]'] },
  ],
  altText: ['textarea[name*="caption" i]', 'input[name*="alt" i]', 'textarea[placeholder*="alt text" i]'],
  fileInputs: ['input[type="file"]'],
  attachments: ['shreddit-composer img[src^="blob:"]'],
  postButtons: ['#submit-post-button', 'button[slot="submit-button"]', 'shreddit-composer button[type="submit"]'],
  postLabel: /^(post|comment|reply|save)$/i,
  modEnterPosts: true,
  enterPosts: [],
  // A user profile's "Follow" (the display name is the profile's h1). Reddit's chat is
  // not covered yet.
  contact: {
    connect: [],
    connectLabel: /^follow$/i,
    people: [],
    names: [],
    pageNames: ['main h1'],
  },
};
