import type { SiteAdapter } from './types';

/**
 * bsky.app: a TipTap (ProseMirror) composer in a dialog; a thread is one editor a
 * post, all sent by one button; Ctrl/Cmd+Enter posts. The saved alt of an image is
 * kept in the app's state, not in the page (only the open alt-text field is read).
 */
export const bluesky: SiteAdapter = {
  id: 'bluesky',
  hosts: ['bsky.app'],
  composers: ['[data-testid="composePostView"] .ProseMirror', '.ProseMirror[contenteditable="true"]'],
  composerRoots: ['[data-testid="composePostView"]', '[role="dialog"]'],
  altText: ['[data-testid="altTextImageInput"]', 'textarea[aria-label*="alt text" i]'],
  fileInputs: ['input[type="file"]'],
  attachments: ['[data-testid="composePostView"] img[src^="blob:"]', '[data-testid="composePostView"] img[src^="data:"]'],
  postButtons: ['[data-testid="composerPublishBtn"]'],
  postLabel: /^(post|reply|publish)$/i,
  modEnterPosts: true,
  enterPosts: [],
  // A profile's follow button and header (bluesky-social/social-app test ids); a chat
  // (`convoScreen`): the header links to the other person's profile (display name, then
  // @handle), a chat request is answered "Accept chat request", a reply is a textarea
  // ("Write a message", Enter sends) and a "Send message" button.
  contact: {
    connect: ['[data-testid="followBtn"]'],
    connectLabel: /^(follow|follow back|accept chat request)$/i,
    people: ['[data-testid^="user-"]', '[data-testid="convoScreen"]'],
    names: ['a[href^="/profile/"] div[dir="auto"]'],
    handles: ['a[href^="/profile/"]'],
    pageNames: ['[data-testid="profileHeaderDisplayName"]'],
    pageHandles: ['[data-testid="profileHeaderHandle"]'],
    conversations: {
      roots: ['[data-testid="convoScreen"]'],
      names: ['a[href^="/profile/"] div[dir="auto"]'],
      handles: ['a[href^="/profile/"]'],
      send: [],
      sendLabel: /^send message$/i,
      composers: ['textarea[placeholder="Write a message"]', 'textarea'],
    },
  },
};
