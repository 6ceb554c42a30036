/**
 * Pack documents (JSON text, up to the engine's 64 MiB each) in the extension's own
 * IndexedDB, database "postsafe", store "docs": the teacher's imported packs, the last
 * good download of each pack URL, the last good copy of each managed inline pack.
 *
 * Why not storage.local: every write there is broadcast by storage.onChanged, old and
 * new value, to every extension context, content scripts in every tab included, and
 * Chrome caps it at 10 MB without `unlimitedStorage`. IndexedDB of the extension origin
 * is read only by the background and the extension's pages, only when the engine is
 * built; `unlimitedStorage` keeps the browser from capping or evicting it.
 *
 * Background and extension pages only: never imported by the content script (its
 * IndexedDB would be the page's).
 */
import { createStore, del, getMany, setMany, type UseStore } from 'idb-keyval';

let store: UseStore | null = null;
const docs = (): UseStore => (store ??= createStore('postsafe', 'docs'));

/** Keys of the records. */
export const DOC = {
  /** The teacher's imported packs, in order: string[]. */
  imports: 'imports',
  /** Last good copy of each managed inline pack, by slot ("inline:0"): Record<string, string>. */
  lastGood: 'lastGood',
  /** The last good download of a pack URL: string. */
  url: (url: string) => `url:${url}`,
  /**
   * The roster image of the last engine with a roster (engine.ts): RosterImage. It holds
   * the rosters' keys, as private as the packs beside it; replaced by each engine built
   * from other rosters, removed when no pack has a roster.
   */
  rosterImage: 'rosterImage',
} as const;

/** What `DOC.rosterImage` holds: the image, and the extension and engine that wrote it. */
export interface RosterImage { engine: string; bytes: Uint8Array }

/** The records at `keys`, undefined where there is none. */
export function readDocs(keys: string[]): Promise<unknown[]> {
  return keys.length ? getMany(keys, docs()) : Promise.resolve([]);
}

/** Writes the records at once (all or none). */
export function writeDocs(entries: [string, unknown][]): Promise<void> {
  return entries.length ? setMany(entries, docs()) : Promise.resolve();
}

/** Removes a record. */
export function deleteDoc(key: string): Promise<void> {
  return del(key, docs());
}
