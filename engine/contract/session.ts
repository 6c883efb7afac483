/**
 * What the app server's internal API answers the rooms: a game session to
 * hydrate from (`GET /internal/sessions/:id`) and a party's state
 * (`GET|PUT /internal/parties/:id`).
 */
import type { StageProps } from '../generated';

/** A scene as the internal API returns it (the GM view: rooms hold everything). */
export interface InternalScene {
  readonly id: string;
  readonly name: string;
  readonly sortOrder: number;
  readonly lastUpdated: number;
  /** The scene list's picture (`/uploads/<name>`), absent when none: GMs see it, players never do. */
  readonly thumbnail?: string;
  readonly props: StageProps;
  /** Blobs of declared channels, base64. */
  readonly blobs: Readonly<Record<string, string>>;
}

export interface InternalSession {
  readonly gameSessionId: string;
  readonly partyId: string;
  readonly scenes: readonly InternalScene[];
}

export interface InternalPartyState {
  readonly partyId: string;
  readonly activeGameSessionId: string | null;
  readonly activeSceneId: string | null;
  readonly paused: boolean;
  /** The plugins' party settings, setting id → value (absent: its default). */
  readonly settings: Readonly<Record<string, unknown>>;
}
