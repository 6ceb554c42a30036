/**
 * The parents-and-carers roster, in the service worker: an optional second engine
 * built from the packs of the policy's `contactsPacksJson` (packs of format 1 whose
 * roster is the MIS export of pupils' contacts, plain or hashed with
 * `postsafe pack build --pupils contacts.csv --hash-roster`), without the built-in
 * checks, read by `checkPerson` like the pupil roster. For trusts whose policy covers
 * parents (seed 002 3.1.2: "Employees will not invite, accept or engage in any
 * communication with parents of children who attend the Trust on social media sites").
 *
 * Names are read and forgotten; nothing is stored or logged.
 */
import { Engine } from 'postsafe-wasm';
import * as engine from './engine';
import { readPolicy } from './policy';
import type { PersonMatch } from './protocol';

/** The managed-storage key of the contacts packs (JSON strings). */
export const CONTACTS_KEY = 'contactsPacksJson';

let cached: { key: string; engine: Engine | null } | null = null;

function drop(): void {
  try { cached?.engine?.free(); } catch { /* an instance of a reset module */ }
  cached = null;
}
// The WebAssembly module was rebuilt or the packs changed: build again on next use.
engine.onRecovered(drop);
chrome.storage.onChanged.addListener((changes, area) => { if (area === 'managed' && CONTACTS_KEY in changes) drop(); });

async function contactsEngine(): Promise<Engine | null> {
  let raw: unknown;
  try { raw = (await chrome.storage.managed.get(CONTACTS_KEY))[CONTACTS_KEY]; } catch { raw = undefined; }
  const docs = readPolicy({ [CONTACTS_KEY]: raw }).policy.contact.contactsPacks;
  const key = docs.join('\u0000');
  if (cached?.key === key) return cached.engine;
  drop();
  let built: Engine | null = null;
  // A contacts pack that does not load checks nothing (the popup's pack errors are for the pupil packs).
  if (docs.length) { try { built = new Engine(docs, false); } catch { built = null; } }
  cached = { key, engine: built };
  return built;
}

/**
 * Whether a person may be a pupil's parent or carer: matches against the contacts
 * roster, empty when there is none or nothing matches. Call after the pupil engine
 * has answered (the WebAssembly module is then ready).
 */
export async function checkContacts(name: string, handle?: string): Promise<PersonMatch[]> {
  const e = await contactsEngine();
  if (!e) return [];
  try {
    return e.checkPerson(name, handle) as PersonMatch[];
  } catch {
    drop();
    return [];
  }
}
