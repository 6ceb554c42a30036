import type { SiteAdapter } from './types';

/** linkedin.com: the share box (a Quill editor) and comment boxes. */
export const linkedin: SiteAdapter = {
  id: 'linkedin',
  hosts: ['linkedin.com'],
  composers: ['.share-creation-state__text-editor .ql-editor', '.comments-comment-box__form .ql-editor', 'div[role="textbox"][contenteditable="true"]'],
  composerRoots: ['.share-box', '[role="dialog"]', '.comments-comment-box__form', 'form'],
  altText: ['textarea[id*="alt-text" i]', 'textarea[name*="alt" i]', 'input[id*="alt-text" i]'],
  fileInputs: ['input[type="file"]'],
  attachments: ['.share-creation-state__media img', '[role="dialog"] img[src^="blob:"]'],
  postButtons: ['button.share-actions__primary-action', 'button.comments-comment-box__submit-button', 'button.comments-comment-box__submit-button--cr'],
  postLabel: /^(post|comment|reply)$/i,
  modEnterPosts: true,
  enterPosts: [],
};
