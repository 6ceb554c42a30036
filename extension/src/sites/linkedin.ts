import type { SiteAdapter } from './types';

/** linkedin.com: the share box (a Quill editor) and comment boxes. */
export const linkedin: SiteAdapter = {
  id: 'linkedin',
  hosts: ['linkedin.com'],
  composers: ['.share-creation-state__text-editor .ql-editor', '.comments-comment-box__form .ql-editor', 'div[role="textbox"][contenteditable="true"]'],
  composerRoots: ['.comments-comment-box__form', '.share-box', '[role="dialog"]', 'form'],
  altText: ['textarea[id*="alt-text" i]', 'textarea[name*="alt" i]', 'input[id*="alt-text" i]'],
  fileInputs: ['input[type="file"]'],
  attachments: ['.share-creation-state__media img', '[role="dialog"] img[src^="blob:"]'],
  fields: [
    { kind: 'alt', selectors: ['.share-creation-state__media img[alt]'], attr: 'alt' },
    { kind: 'link', selectors: ['.share-creation-state__preview-container', '[data-test-id="link-preview"]'] },
  ],
  postButtons: ['form.recommendation-form button[type="submit"]', 'button.share-actions__primary-action', 'button.comments-comment-box__submit-button', 'button.comments-comment-box__submit-button--cr'],
  postLabel: /^(post|comment|reply)$/i,
  modEnterPosts: true,
  enterPosts: [],
  // Invitations (linkedin.com/mynetwork/invitation-manager/: invitation cards with
  // "Accept", aria-label "Accept <name>'s invitation"), a profile's "Connect"
  // (aria-label "Invite <name> to connect"; the name is the profile's h1), and
  // messaging (.msg-form__contenteditable, .msg-form__send-button).
  contact: {
    connect: ['button[aria-label^="Accept "][aria-label$="invitation"]', 'button[aria-label^="Invite "][aria-label$=" to connect"]'],
    connectLabel: /^(accept|connect)$/i,
    people: ['.invitation-card', 'li.mn-invitation-list__item'],
    names: ['.invitation-card__title', 'a[href*="/in/"] strong', 'a[href*="/in/"] span[aria-hidden="true"]'],
    handles: ['a[href*="/in/"]'],
    pageNames: ['main h1.text-heading-xlarge', 'main section h1'],
    labelNames: [/^Invite (.+) to connect$/i, /^Accept (.+?)[’']s invitation$/i],
    requestLists: ['.mn-invitation-list', 'section.invitation-manager'],
    conversations: {
      roots: ['.msg-convo-wrapper', '.msg-overlay-conversation-bubble', '.msg-thread'],
      names: ['.msg-entity-lockup__entity-title', '.msg-thread__link-to-profile', 'h2'],
      handles: ['a.msg-thread__link-to-profile'],
      send: ['button.msg-form__send-button'],
      composers: ['.msg-form__contenteditable'],
    },
    // Writing a recommendation (profile → More → Recommend: a form with the
    // relationship, the text and "Send"), and endorsing a skill.
    reminders: [
      { kind: 'reference', buttons: ['form.recommendation-form button[type="submit"]'], label: /^send$/i, within: ['form.recommendation-form', '[role="dialog"][aria-labelledby*="recommend" i]'] },
      { kind: 'reference', buttons: ['button[aria-label^="Endorse "]'] },
    ],
  },
};
