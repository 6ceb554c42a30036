import type { SiteAdapter } from './types';

const PUBLISH = /^(publish changes|publish page|save changes|save page)\b/i;
const PUBLISH_BUTTONS = ['#wpSave', '.ve-ui-mwSaveDialog .oo-ui-processDialog-actions-primary .oo-ui-buttonElement-button'];

/**
 * Wikipedia and other MediaWiki sites (MediaWiki's includes/EditPage.php: the source
 * editor's form#editform, textarea#wpTextbox1, the "Publish changes" submit #wpSave;
 * VisualEditor's surface and its save dialog, ve.ui.MWSaveDialog, an OOUI process
 * dialog whose primary action publishes). Another MediaWiki site is recognised by
 * its generator meta tag once the policy's `sites.add` lets the extension run there.
 * An edit is checked like any draft; during the policy's working hours Publish gets
 * the reminder of seeds 000 and 001 first (contact.ts).
 */
export const mediawiki: SiteAdapter = {
  id: 'mediawiki',
  hosts: ['wikipedia.org'],
  detect: (doc) => !!doc.querySelector('meta[name="generator"][content^="MediaWiki"]'),
  composers: ['#wpTextbox1', '.ve-ce-documentNode[contenteditable="true"]'],
  composerRoots: ['#editform', '.ve-init-target'],
  altText: [],
  fileInputs: [],
  attachments: [],
  postButtons: PUBLISH_BUTTONS,
  postLabel: PUBLISH,
  modEnterPosts: false,
  enterPosts: [],
  contact: {
    connect: [],
    people: [],
    names: [],
    reminders: [{ kind: 'wiki', buttons: PUBLISH_BUTTONS, label: PUBLISH }],
  },
};
