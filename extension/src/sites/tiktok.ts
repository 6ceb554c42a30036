import type { SiteAdapter } from './types';

/** tiktok.com: Draft.js comment boxes (Enter posts) and the upload caption. */
export const tiktok: SiteAdapter = {
  id: 'tiktok',
  hosts: ['tiktok.com'],
  composers: ['[data-e2e="comment-input"] [contenteditable="true"]', '.public-DraftEditor-content[contenteditable="true"]'],
  composerRoots: ['[data-e2e="comment-input"]', '[class*="CommentInputContainer"]', '[class*="upload" i]', 'form'],
  altText: [],
  fileInputs: ['input[type="file"]'],
  attachments: ['video[src^="blob:"]'],
  postButtons: ['[data-e2e="comment-post"]', 'button[data-e2e="post_video_button"]'],
  postLabel: /^(post|reply)$/i,
  modEnterPosts: false,
  enterPosts: ['[data-e2e="comment-input"] [contenteditable="true"]'],
  // Follow and follow back: data-e2e "follow-button"; a profile's username (h1
  // data-e2e "user-title") and nickname (data-e2e "user-subtitle").
  contact: {
    connect: ['[data-e2e="follow-button"]'],
    connectLabel: /^(follow|follow back)$/i,
    people: ['[data-e2e="user-card"]'],
    names: ['[data-e2e="user-subtitle"]'],
    handles: ['[data-e2e="user-title"]'],
    pageNames: ['[data-e2e="user-subtitle"]'],
    pageHandles: ['[data-e2e="user-title"]'],
  },
};
