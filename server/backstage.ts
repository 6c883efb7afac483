import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { SceneSummary } from '../engine/db';
import type { StageProps } from '../engine/generated/stageProps';
import type { AppDeps } from './context';
import { HttpError } from './errors';
import { askRoom } from './roomControl';

/**
 * The app server's side of backstage mode (partykit/session/backstage.ts):
 * GMs hold, publish and resume through `POST /api/sessions/:id/backstage`,
 * relayed to the game-session room, which alone knows the hold. The player
 * HTTP load asks the room the same way, so a player who (re)loads during a
 * hold gets the published state, not the database's live one.
 */

/** What a player may load of a scene during a hold (the room's projection), or `null`: not shown. */
export interface PublishedScene {
  readonly name?: string;
  readonly props: StageProps;
  readonly blobs: Record<string, string>;
}

/** Relays a GM's hold / publish / resume to the room and returns the room's status and answer. */
export async function backstageAction(
  deps: Pick<AppDeps, 'partykitUrl' | 'internalSecret'>,
  gameSessionId: string,
  body: Record<string, unknown>,
): Promise<{ status: ContentfulStatusCode; body: unknown }> {
  const answer = await askRoom(deps, gameSessionId, { ...body, action: 'backstage' });
  if (!answer.ok) throw new HttpError(503, `backstage needs the live room: ${answer.reason}`);
  return { status: answer.status as ContentfulStatusCode, body: answer.body };
}

/**
 * The published scene when the room holds the TV; undefined when it does not (or no rooms run:
 * nothing can hold). A room that cannot be asked is an error: when in doubt players see nothing.
 */
export async function publishedScene(
  deps: Pick<AppDeps, 'partykitUrl' | 'internalSecret'>,
  gameSessionId: string,
  sceneId: string,
): Promise<PublishedScene | null | undefined> {
  if (!deps.partykitUrl) return undefined;
  const answer = await askRoom(deps, gameSessionId, { action: 'published', sceneId });
  if (!answer.ok || answer.status !== 200)
    throw new HttpError(
      503,
      `the live room could not say what players are shown: ${answer.ok ? `it answered ${answer.status}` : answer.reason}`,
    );
  const body = answer.body as { holding?: boolean; scene?: PublishedScene | null };
  if (body.holding !== true) return undefined;
  return body.scene ?? null;
}

/**
 * The scene list a player may read: during a hold, each shown scene as published (a rename made
 * since stays backstage), and none the published state does not show.
 */
export async function publishedSummaries(
  deps: Pick<AppDeps, 'partykitUrl' | 'internalSecret'>,
  gameSessionId: string,
  summaries: readonly SceneSummary[],
): Promise<SceneSummary[]> {
  const out: SceneSummary[] = [];
  for (const summary of summaries) {
    const published = await publishedScene(deps, gameSessionId, summary.id);
    if (published === null) continue;
    out.push(published?.name === undefined ? summary : { ...summary, name: published.name });
  }
  return out;
}
