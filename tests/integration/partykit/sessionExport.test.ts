/**
 * Export against a live room (real `partykit dev` and app server): an edit
 * the room holds but has not saved yet (saves are debounced) is in the
 * exported file, because the export asks the room to flush first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { PartykitDev } from '../../harness/partykit';
import {
  RawClient,
  createParty,
  picks,
  roomUrl,
  sceneOf,
  startApp,
  startRooms,
  waitFor,
  type AppHandle,
} from './support';

let app: AppHandle;
let pk: PartykitDev;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  app = await startApp();
  pk = await startRooms(app);
  await app.useRooms(pk.httpUrl);
});

afterAll(async () => {
  for (const c of cleanups) c();
  await pk?.stop();
  await app?.close();
});

describe('session export with a live room', () => {
  it('includes the room’s unsaved edits', async () => {
    const party = await createParty(app);
    const connect = async (token: string) => {
      const c = await RawClient.connect(roomUrl(pk, 'game_session', party.gameSessionId, token));
      cleanups.push(() => c.close());
      await c.whenSynced();
      return c;
    };
    const gm = await connect(party.gm);
    const other = await connect(party.gm);
    const { plugin, prop } = picks.gmText();
    const typed = `typed just before the export ${Date.now()}`;
    (sceneOf(gm.doc, party.sceneId)!.get(plugin.key) as Y.Map<unknown>).set(prop.yjsKey, typed);
    // Seen by another client means the room has it; its save is still waiting for the debounce.
    await waitFor(
      'the edit to reach the room',
      () => (sceneOf(other.doc, party.sceneId)?.get(plugin.key) as Y.Map<unknown>).get(prop.yjsKey) === typed,
    );
    const res = await fetch(`${app.url}/api/sessions/${party.gameSessionId}/export`, {
      headers: { authorization: `Bearer ${party.gm}` },
    });
    expect(res.status).toBe(200);
    const file = (await res.json()) as { scenes: { columns: Record<string, unknown> }[]; warnings: string[] };
    expect(file.warnings).toEqual([]);
    expect(file.scenes[0]!.columns[prop.columns[0]!.field]).toBe(typed);
  });
});
