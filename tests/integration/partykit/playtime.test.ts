/**
 * Play-time plugins against the real rooms: GM-only area templates and
 * GM-layer strokes never reach a player's bytes; a template shown to all does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { registry } from '../../../engine/generated/schemas';
import { encodePoints } from '../../../plugins/drawing/encoding';
import type { PartykitDev } from '../../harness/partykit';
import {
  RawClient,
  createParty,
  roomUrl,
  sceneOf,
  startApp,
  startRooms,
  waitFor,
  type AppHandle,
  type TestParty,
} from './support';

let app: AppHandle;
let pk: PartykitDev;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  app = await startApp();
  pk = await startRooms(app);
});

afterAll(async () => {
  for (const c of cleanups) c();
  await pk?.stop();
  await app?.close();
});

async function client(party: TestParty, token: string) {
  const c = await RawClient.connect(roomUrl(pk, 'game_session', party.gameSessionId, token));
  cleanups.push(() => c.close());
  await c.whenSynced();
  return c;
}

function members(doc: Y.Doc, sceneId: string, plugin: string): Y.Map<unknown> {
  const key = registry.plugin(plugin)!.key;
  const g = sceneOf(doc, sceneId)?.get(key);
  if (!(g instanceof Y.Map)) throw new Error(`scene ${sceneId} has no ${key} map`);
  return g as Y.Map<unknown>;
}

function addMember(doc: Y.Doc, sceneId: string, plugin: string, id: string, values: Record<string, unknown>) {
  const m = new Y.Map<unknown>();
  members(doc, sceneId, plugin).set(id, m);
  for (const [k, v] of Object.entries(values)) m.set(k, v);
}

describe('play-time plugins: what players receive', () => {
  it('a GM-only template and a GM-layer stroke never reach a player; a shown template and a players-layer stroke do', async () => {
    const party = await createParty(app);
    const gm = await client(party, party.gm);
    const player = await client(party, party.player);
    // Distinctive points: their encoded string must not appear in the player's bytes.
    const secretPoints = encodePoints([
      { x: 4242, y: 1717 },
      { x: 4343, y: 1818 },
      { x: 4444, y: 1919 },
    ]);
    gm.doc.transact(() => {
      addMember(gm.doc, party.sceneId, 'template', 'gmtemplate7c1d', {
        shape: 'cone',
        origin: { x: 777, y: 333 },
        gmOnly: true,
      });
      addMember(gm.doc, party.sceneId, 'template', 'alltemplate2b9e', { shape: 'circle', size: 20 });
      addMember(gm.doc, party.sceneId, 'drawing', 'gmstroke5a0f', {
        kind: 'text',
        layer: 'gm',
        text: 'TRAP-HERE-GM-ONLY-61c2',
        points: secretPoints,
      });
      addMember(gm.doc, party.sceneId, 'drawing', 'playerstroke3d4e', {
        kind: 'pen',
        layer: 'players',
        points: encodePoints([{ x: 1, y: 1 }]),
      });
    });

    await waitFor('the shown template and stroke to reach the player', () => {
      return (
        members(player.doc, party.sceneId, 'template').has('alltemplate2b9e') &&
        members(player.doc, party.sceneId, 'drawing').has('playerstroke3d4e')
      );
    });
    // The GM hides the shown template and moves a stroke to the GM layer: they leave the player's doc.
    (members(gm.doc, party.sceneId, 'template').get('alltemplate2b9e') as Y.Map<unknown>).set('gmOnly', true);
    (members(gm.doc, party.sceneId, 'drawing').get('playerstroke3d4e') as Y.Map<unknown>).set('layer', 'gm');
    await waitFor('hidden members to vanish for the player', () => {
      return (
        !members(player.doc, party.sceneId, 'template').has('alltemplate2b9e') &&
        !members(player.doc, party.sceneId, 'drawing').has('playerstroke3d4e')
      );
    });
    // Later edits to GM-only members stay away from the player too.
    (members(gm.doc, party.sceneId, 'drawing').get('gmstroke5a0f') as Y.Map<unknown>).set('color', '#123456');
    const late = await client(party, party.player);

    for (const bytes of [player.allBytes(), late.allBytes()])
      for (const secret of [
        'gmtemplate7c1d',
        'gmstroke5a0f',
        'TRAP-HERE-GM-ONLY-61c2',
        secretPoints,
        '#123456',
      ])
        expect(bytes.includes(Buffer.from(secret)), `player received "${secret}"`).toBe(false);
    expect(members(late.doc, party.sceneId, 'template').size).toBe(0);
    expect(members(gm.doc, party.sceneId, 'template').size).toBe(2);
  });
});
