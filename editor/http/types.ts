import type { GameSessionRow, PartyRow } from '../../engine/generated/tables';
import type { StageProps } from '../../engine/generated/stageProps';

/** Who a token speaks for. */
export type Role = 'gm' | 'player';

export type Party = PartyRow;
export type GameSession = GameSessionRow;

/** A scene as lists show it (no properties). */
export interface SceneSummary {
  readonly id: string;
  readonly name: string;
  readonly sortOrder: number;
  readonly lastUpdated: number;
  /** The scene list's picture (`/uploads/<name>`); GMs only. */
  readonly thumbnail?: string;
}

/** The two links of a party and the tokens inside them. */
export interface PartyLinks {
  readonly tokens: { readonly gm: string; readonly player: string };
  readonly links: { readonly gm: string; readonly player: string };
}

/** `POST /api/parties`: the new party with its first game session and scene, and its links. */
export interface CreatedParty extends PartyLinks {
  readonly party: Party;
  readonly gameSession: GameSession;
  readonly scenes: readonly SceneSummary[];
}

/**
 * `GET /api/sessions/:id/load`: everything a page needs to draw a scene
 * before any WebSocket is open. `props` are built for the token's role;
 * `blobs` are base64.
 */
export interface SessionLoad {
  readonly role: Role;
  readonly party: Party;
  readonly gameSession: GameSession;
  readonly scenes: readonly SceneSummary[];
  readonly sceneId: string;
  readonly scene: SceneSummary;
  readonly props: StageProps;
  readonly blobs: Readonly<Record<string, string>>;
  readonly partykitHost: string;
}

/** `POST /api/uploads`: where the stored file is served. */
export interface Uploaded {
  readonly url: string;
  readonly type: string;
  readonly size: number;
}
