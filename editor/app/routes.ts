// The pure module, not the render host: routes stay free of Babylon.
import { isPerformanceTier } from '../../engine/render/autoTier';
import type { PerformanceTier } from '../../engine/render/types';

/** The pages of the application and the parameters their URL carries. */
export type Route =
  | { readonly page: 'home' }
  | {
      readonly page: 'gm';
      readonly partyId: string;
      readonly gameSessionId?: string;
      readonly sceneId?: string;
      readonly token?: string;
    }
  | {
      readonly page: 'play';
      readonly partyId: string;
      readonly token?: string;
      /** `?tier=low|medium|high` pins the display's performance tier; absent (or `auto`), frame time picks it. */
      readonly tier?: PerformanceTier;
    }
  | { readonly page: 'not-found'; readonly path: string };

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * Parses a location into a route. `/gm/:partyId/:gameSessionId/:sceneId?`
 * (the session may be missing in a link made before the party had one),
 * `/play/:partyId`, `/`. A segment that is not a well-formed id makes the
 * route `not-found`, so a mangled link gets a clear page, not a failed fetch.
 */
export function parseRoute(pathname: string, search = ''): Route {
  const query = new URLSearchParams(search);
  const token = query.get('token') || undefined;
  const tier = query.get('tier');
  const parts = pathname.split('/').filter((s) => s !== '');
  let decoded: string[];
  try {
    decoded = parts.map((s) => decodeURIComponent(s));
  } catch {
    return { page: 'not-found', path: pathname };
  }
  if (decoded.some((s) => !SEGMENT.test(s))) return { page: 'not-found', path: pathname };
  const [first, partyId, gameSessionId, sceneId, ...rest] = decoded;
  if (first === undefined) return { page: 'home' };
  if (first === 'gm' && partyId && rest.length === 0)
    return {
      page: 'gm',
      partyId,
      ...(gameSessionId ? { gameSessionId } : {}),
      ...(sceneId ? { sceneId } : {}),
      ...(token ? { token } : {}),
    };
  if (first === 'play' && partyId && gameSessionId === undefined)
    return {
      page: 'play',
      partyId,
      ...(token ? { token } : {}),
      // Anything but a tier's name (`auto`, a typo) leaves the choice to frame time.
      ...(isPerformanceTier(tier) ? { tier } : {}),
    };
  return { page: 'not-found', path: pathname };
}

/** The path of a GM editor URL (no token: the browser keeps it in the token store). */
export function gmPath(partyId: string, gameSessionId: string, sceneId?: string): string {
  const parts = ['gm', partyId, gameSessionId, ...(sceneId ? [sceneId] : [])];
  return `/${parts.map(encodeURIComponent).join('/')}`;
}

/** The path of the player view. */
export function playPath(partyId: string): string {
  return `/play/${encodeURIComponent(partyId)}`;
}
