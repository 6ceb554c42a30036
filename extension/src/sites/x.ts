import type { SiteAdapter } from './types';

/** x.com and twitter.com: a Draft.js composer in the timeline and the compose dialog. */
export const x: SiteAdapter = {
  id: 'x',
  hosts: ['x.com', 'twitter.com'],
  composers: ['[data-testid^="tweetTextarea_"][contenteditable="true"]', 'div[role="textbox"][data-testid^="tweetTextarea"]'],
  composerRoots: ['[role="dialog"]', '[data-testid="primaryColumn"] form', '[data-testid="primaryColumn"]'],
  altText: ['textarea[name="altTextInput"]', '[data-testid="altTextInput"]', 'textarea[aria-label*="description" i]'],
  fileInputs: ['input[data-testid="fileInput"]', 'input[type="file"]'],
  attachments: ['[data-testid="attachments"] img', '[data-testid="attachments"] video'],
  postButtons: ['[data-testid="tweetButton"]', '[data-testid="tweetButtonInline"]'],
  modEnterPosts: true,
  enterPosts: [],
};
