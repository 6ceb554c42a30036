import type { SiteAdapter } from './types';

/**
 * youtube.com: comment and reply boxes. Ctrl/Cmd+Enter posts a comment (as public
 * automation scripts do), so it is held like the Comment button.
 */
export const youtube: SiteAdapter = {
  id: 'youtube',
  hosts: ['youtube.com'],
  composers: ['ytd-commentbox #contenteditable-root', '#contenteditable-root[contenteditable="true"]'],
  composerRoots: ['ytd-commentbox', 'ytd-comment-simplebox-renderer'],
  altText: [],
  fileInputs: [],
  attachments: [],
  postButtons: ['ytd-commentbox #submit-button', '#submit-button button'],
  postLabel: /^(comment|reply)$/i,
  modEnterPosts: true,
  enterPosts: [],
  // Subscribing follows a channel, not a person's own account, and there are no direct messages.
  contact: null,
};
