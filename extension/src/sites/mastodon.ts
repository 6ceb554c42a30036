import type { SiteAdapter } from './types';

/**
 * Mastodon, on any instance: recognised by its web app and compose form. A toot sends
 * its content warning, text, poll choices and media descriptions together;
 * Ctrl/Cmd+Enter posts (compose_form's own key handler).
 */
export const mastodon: SiteAdapter = {
  id: 'mastodon',
  hosts: [],
  detect: (doc) =>
    !!doc.querySelector('#mastodon, form.compose-form, meta[name="application-name"][content="Mastodon"]'),
  composers: ['form.compose-form textarea.autosuggest-textarea__textarea', 'form.compose-form textarea'],
  composerRoots: ['form.compose-form', '.modal-root'],
  altText: ['textarea#upload-modal__description', 'textarea[id^="upload-modal__description"]', '.media-modal textarea', '.alt-text-modal textarea'],
  fileInputs: ['form.compose-form input[type="file"]'],
  attachments: ['.compose-form__uploads img', '.compose-form__upload-thumbnail'],
  fields: [
    { kind: 'warning', selectors: ['#cw-spoiler-input', 'input.spoiler-input__input'] },
    { kind: 'poll', selectors: ['.compose-form__poll-wrapper input[type="text"]', '.compose-form__poll input[type="text"]'] },
  ],
  postButtons: ['form.compose-form button[type="submit"]', '.compose-form__publish-button-wrapper button'],
  modEnterPosts: true,
  enterPosts: [],
  // A profile's "Follow" / "Follow back" and its header (display name, @user@server);
  // follow requests (a locked account's) are answered by an icon button titled "Authorize".
  contact: {
    connect: [],
    connectLabel: /^(follow|follow back|authorize)$/i,
    people: ['.account', '.account-authorize__wrapper'],
    requestLists: ['.scrollable'],
    names: ['.display-name__html'],
    handles: ['.display-name__account'],
    pageNames: ['.account__header__tabs__name h1 span:first-child'],
    pageHandles: ['.account__header__tabs__name small'],
  },
};
