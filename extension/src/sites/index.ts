import { bluesky } from './bluesky';
import { facebook } from './facebook';
import { generic } from './generic';
import { instagram } from './instagram';
import { linkedin } from './linkedin';
import { mastodon } from './mastodon';
import { mediawiki } from './mediawiki';
import { reddit } from './reddit';
import { threads } from './threads';
import { tiktok } from './tiktok';
import type { SiteAdapter } from './types';
import { hostMatches } from './types';
import { x } from './x';
import { youtube } from './youtube';

export type { PostField, PostFieldKind, SiteAdapter } from './types';

/** Every site adapter, most specific first. The generic adapter is the fallback. */
export const ADAPTERS: readonly SiteAdapter[] = [x, facebook, instagram, linkedin, threads, bluesky, reddit, youtube, tiktok, mediawiki, mastodon];

export function adapterFor(loc: Location, doc: Document): SiteAdapter {
  return ADAPTERS.find((a) => hostMatches(loc.hostname, a.hosts))
    ?? ADAPTERS.find((a) => a.detect?.(doc))
    ?? generic;
}
