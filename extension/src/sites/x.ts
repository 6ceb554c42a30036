import type { SiteAdapter } from './types';

/**
 * x.com and twitter.com: a Draft.js composer in the timeline and the compose dialog.
 * A thread is one editor a post (tweetTextarea_0, _1, …) sent by one button; a saved
 * image description is the attached image's alt; polls and link cards go with it.
 * Ctrl/Cmd+Enter posts.
 */
export const x: SiteAdapter = {
  id: 'x',
  hosts: ['x.com', 'twitter.com'],
  composers: ['[data-testid^="tweetTextarea_"][contenteditable="true"]', 'div[role="textbox"][data-testid^="tweetTextarea"]'],
  composerRoots: ['[role="dialog"]', '[data-testid="primaryColumn"] form', '[data-testid="primaryColumn"]'],
  altText: ['textarea[name="altTextInput"]', '[data-testid="altTextInput"]', 'textarea[aria-label*="description" i]'],
  fileInputs: ['input[data-testid="fileInput"]', 'input[type="file"]'],
  attachments: ['[data-testid="attachments"] img', '[data-testid="attachments"] video'],
  fields: [
    { kind: 'poll', selectors: ['input[name^="Choice"]'] },
    { kind: 'alt', selectors: ['[data-testid="attachments"] img[alt]'], attr: 'alt' },
    { kind: 'link', selectors: ['[data-testid="card.wrapper"]'] },
  ],
  postButtons: ['[data-testid="tweetButton"]', '[data-testid="tweetButtonInline"]'],
  modEnterPosts: true,
  enterPosts: [],
  // Follow and follow-back buttons (data-testid "<id>-follow", aria-label "Follow
  // @handle") in user cells and on a profile (name and handle in data-testid
  // "UserName"), follower requests of a protected account, and conversations
  // (x.com/messages/...: data-testid "dmComposerTextInput", "dmComposerSendButton").
  contact: {
    connect: ['[data-testid$="-follow"]'],
    connectLabel: /^(follow|follow back|accept)( @\S+)?$/i,
    people: ['[data-testid="UserCell"]'],
    names: ['a[role="link"] span', 'span'],
    handles: ['a[role="link"] span', 'span'],
    pageNames: ['[data-testid="UserName"] span'],
    pageHandles: ['[data-testid="UserName"] span'],
    labelNames: [/^Follow (@\S+)$/i, /^Follow back (@\S+)$/i],
    requestLists: ['[aria-label^="Timeline: Follower requests"]'],
    conversations: {
      roots: ['[data-testid="DmActivityContainer"]'],
      names: ['h2 span', 'h2'],
      handles: ['[data-testid="DmActivityContainer"] header span'],
      send: ['[data-testid="dmComposerSendButton"]'],
      sendLabel: /^send$/i,
      composers: ['[data-testid="dmComposerTextInput"]'],
    },
  },
};
