/**
 * What a site adapter says, as data, about connecting with people on its site: the
 * buttons that accept, send or follow, where the person's name and @handle are for
 * each button (a request card, a user cell, a profile header), the lists of pending
 * requests whose names are marked in place, and its direct-message conversations.
 * Read by contact.ts; no matching here (the roster lives in the engine).
 *
 * Policy: "Colleagues must decline friend requests from pupils" (seed 000 §6, seed
 * 001); "Any communication received via a social media site from a Child must be
 * immediately reported to the Head Teacher" (seed 002 3.1.3).
 */
export interface ContactFlow {
  /** Buttons that connect with a person (accept a request, send one, follow, follow back), by selector. */
  connect: string[];
  /**
   * Or by accessible name (aria-label, else visible text) of a button, e.g.
   * /^(Confirm|Add friend)$/: for sites whose buttons carry no stable selector.
   */
  connectLabel?: RegExp;
  /**
   * The element around one person and their buttons, nearest first: a request card,
   * a user cell, a profile header. The name of the person a button is for is read
   * inside the nearest one that holds a name.
   */
  people: string[];
  /** Inside a person element: the display name (the first match that has text). */
  names: string[];
  /**
   * Inside a person element: the @handle. Text beginning with `@` is taken as it is;
   * a link (`a[href]`) without such text gives the first part of its path (`/tomsmith07/`).
   */
  handles?: string[];
  /**
   * A profile page's own name and handle, read from the whole page when a button is
   * in no person element (the Follow button of a profile's action bar).
   */
  pageNames?: string[];
  pageHandles?: string[];
  /**
   * A button's accessible name that holds the person's name in its first group
   * ("Invite Tom Smith to connect", "Accept Tom Smith’s invitation"), or their
   * @handle ("Follow @tomsmith07"): read when the button is in no person element.
   */
  labelNames?: RegExp[];
  /** Lists of pending requests: every person element inside is checked as it appears and a match is marked in place. */
  requestLists?: string[];
  /** Direct messages, where the site has them. */
  conversations?: ConversationFlow;
  /** What gets a reminder of the policy before it is sent (its text is also checked like any draft). */
  reminders?: ReminderFlow[];
}

/**
 * A reminder before something is sent: `reference` (a recommendation or endorsement
 * on a professional network; seed 001: "Staff members should not provide references
 * for other individuals on social or professional networking sites (such as
 * LinkedIn)"), `wiki` (an edit to an open encyclopedia during the policy's working
 * hours; seeds 000 and 001: "must not edit open access online encyclopedias such as
 * Wikipedia in a personal capacity at work").
 */
export interface ReminderFlow {
  kind: 'reference' | 'wiki';
  /** The buttons that send it, by selector. */
  buttons: string[];
  /** Or by accessible name. */
  label?: RegExp;
  /** Only buttons inside one of these (the recommendation form), when given. */
  within?: string[];
}

/** A direct-message conversation: who it is with, and how a reply is sent. */
export interface ConversationFlow {
  /** The element around one open conversation (its header, messages and reply box). */
  roots: string[];
  /** Inside it: the other person's display name. */
  names: string[];
  /** Inside it: their @handle, as for `ContactFlow.handles`. */
  handles?: string[];
  /** Buttons that send a reply, by selector. */
  send: string[];
  /** Or by accessible name. */
  sendLabel?: RegExp;
  /** The reply box: Enter in it sends. */
  composers: string[];
}
