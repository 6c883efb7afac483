/**
 * PartyDataManagers in Node against the real rooms (`partykit dev`) and the
 * real app server, built on the room tests' harness. Properties are chosen
 * from the registry, never named.
 */
import WebSocket from 'ws';
import type { PropInfo } from '../../../engine/schema';
import { registry } from '../../../engine/generated';
import { PartyDataManager, ticketsFromApp, type PartyDataManagerOptions } from '../../../engine/sync';
import type { PartykitDev } from '../../harness/partykit';
import { INTERNAL_SECRET, appUrlOf, type TestParty } from '../partykit/support';

export { startApp, startRooms, createParty, dbScene, waitFor, sleep } from '../partykit/support';

/** Every manager a test made, so `afterEach` can destroy them. */
export const made: PartyDataManager[] = [];

export function destroyAll(): void {
  for (const m of made.splice(0)) m.destroy();
}

/** Asks the room to reload scenes from the DB, as the app server's `/api/scenes/:id/reload` does. */
export function roomReloader(pk: PartykitDev, gameSessionId: string) {
  return async (sceneId: string): Promise<void> => {
    const res = await fetch(`${pk.httpUrl}/parties/game_session/${gameSessionId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INTERNAL_SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'reload', sceneIds: [sceneId] }),
    });
    if (!res.ok) throw new Error(`reload failed: ${res.status} ${await res.text()}`);
  };
}

/** A manager for a GM (or, with `view: 'player'`, a player) of `party`. */
export function client(
  pk: PartykitDev,
  party: TestParty,
  userId: string,
  options: PartyDataManagerOptions & { token?: string } = {},
): PartyDataManager {
  const token = options.token ?? (options.view === 'player' ? party.player : party.gm);
  const m = new PartyDataManager(
    party.partyId,
    userId,
    party.gameSessionId,
    pk.host,
    ticketsFromApp(appUrlOf(pk), token),
    {
      // The provider's type wants the DOM WebSocket; ws implements the same interface.
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      storage: null,
      maxBackoffTime: 400,
      name: userId,
      reloadScene: roomReloader(pk, party.gameSessionId),
      ...options,
    },
  );
  made.push(m);
  return m;
}

/** Synced, everyone-visible, ranged number properties of scene plugins. */
export const rangedNumbers: PropInfo[] = registry.scenePlugins.flatMap((plugin) =>
  plugin.props.filter(
    (p) =>
      !p.localOnly &&
      p.audience === 'all' &&
      p.decl.kind === 'number' &&
      p.decl.min !== undefined &&
      p.decl.max !== undefined,
  ),
);

/** A valid value of a ranged number at `fraction` of its range (0…1). */
export function numberAt(prop: PropInfo, fraction: number): number {
  const d = prop.decl as { min: number; max: number };
  return Math.round((d.min + (d.max - d.min) * fraction) * 1000) / 1000;
}

export const pathOf = (p: PropInfo): string[] => [p.plugin.key, p.key];

export function valueIn(m: PartyDataManager, sceneId: string, path: readonly string[]): unknown {
  return path.reduce<unknown>(
    (v, k) => (v as Record<string, unknown> | undefined)?.[k],
    m.getSceneData(sceneId),
  );
}
