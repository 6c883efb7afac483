/**
 * Lights against the real rooms (`partykit dev`, tickets from the real app
 * server): a hidden (GM-only) light — its id, colour, position and every
 * later edit — never reaches a raw player connection's bytes, nor a player
 * who joins later; a shown light does, and one the GM reveals arrives then.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { registry } from '../../../engine/generated/schemas';
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

function lights(doc: Y.Doc, sceneId: string): Y.Map<Y.Map<unknown>> {
  const key = registry.plugin('light')!.key;
  const g = sceneOf(doc, sceneId)?.get(key);
  if (!(g instanceof Y.Map)) throw new Error(`scene ${sceneId} has no ${key} map`);
  return g as Y.Map<Y.Map<unknown>>;
}

function addLight(doc: Y.Doc, sceneId: string, id: string, values: Record<string, unknown>) {
  const m = new Y.Map<unknown>();
  lights(doc, sceneId).set(id, m);
  for (const [k, v] of Object.entries(values)) m.set(k, v);
}

/** A value as Y.js writes it into an update (lib0 `writeAny`): what to look for in raw bytes. */
const wire = (value: encoding.AnyEncodable): Buffer =>
  Buffer.from(encoding.encode((e) => encoding.writeAny(e, value)));
const text = (s: string): Buffer => Buffer.from(s);

describe('lights: what players receive', () => {
  it('a hidden light and its later edits never reach a player; a shown light does, a revealed one once revealed', async () => {
    const party = await createParty(app);
    const gm = await client(party, party.gm);
    const player = await client(party, party.player);
    // A second GM receives everything: proof that each secret below is findable in raw bytes when sent.
    const gm2 = await client(party, party.gm);
    const hiddenAt = { x: 31337.25, y: 27182.75 };
    const shownAt = { x: 1234.5, y: 678.25 };
    gm.doc.transact(() => {
      addLight(gm.doc, party.sceneId, 'hiddenlight7e21', {
        position: hiddenAt,
        color: '#a1b2c3',
        style: 'candle',
        hidden: true,
      });
      addLight(gm.doc, party.sceneId, 'shownlight4c8d', { position: shownAt, color: '#d4e5f6' });
      addLight(gm.doc, party.sceneId, 'revealedlight5b3a', { color: '#5e6f70', hidden: true });
    });
    await waitFor('the shown light to reach the player', () =>
      lights(player.doc, party.sceneId).has('shownlight4c8d'),
    );
    // The byte check can fail: what the player may see is there, in the same encoding.
    for (const seen of [text('shownlight4c8d'), text('#d4e5f6'), wire(shownAt)])
      expect(player.allBytes().includes(seen), `player lacks ${seen.toString('hex')}`).toBe(true);

    // The GM moves and recolours the hidden light, then hides the shown one and edits it while hidden.
    const movedAt = { x: 40404.5, y: 50505.5 };
    const laterAt = { x: 60606.25, y: 70707.75 };
    lights(gm.doc, party.sceneId).get('hiddenlight7e21')!.set('position', movedAt);
    lights(gm.doc, party.sceneId).get('hiddenlight7e21')!.set('color', '#0f1e2d');
    lights(gm.doc, party.sceneId).get('shownlight4c8d')!.set('hidden', true);
    await waitFor(
      'the hidden light to leave the player',
      () => !lights(player.doc, party.sceneId).has('shownlight4c8d'),
    );
    gm.doc.transact(() => {
      lights(gm.doc, party.sceneId).get('shownlight4c8d')!.set('position', laterAt);
      lights(gm.doc, party.sceneId).get('shownlight4c8d')!.set('color', '#9a8b7c');
    });
    // Revealed last: once it arrives, the room has handled every edit before it.
    lights(gm.doc, party.sceneId).get('revealedlight5b3a')!.set('hidden', false);
    await waitFor(
      'the revealed light to reach the player',
      () => lights(player.doc, party.sceneId).get('revealedlight5b3a')?.get('color') === '#5e6f70',
    );
    const late = await client(party, party.player);

    const secrets = [
      text('hiddenlight7e21'),
      text('#a1b2c3'),
      wire(hiddenAt),
      wire(movedAt),
      text('#0f1e2d'),
      wire(laterAt),
      text('#9a8b7c'),
    ];
    await waitFor('the second GM to receive every edit', () =>
      secrets.every((secret) => gm2.allBytes().includes(secret)),
    );
    for (const c of [player, late]) {
      const bytes = c.allBytes();
      for (const secret of secrets)
        expect(bytes.includes(secret), `a player received ${secret.toString('hex')}`).toBe(false);
      expect([...lights(c.doc, party.sceneId).keys()]).toEqual(['revealedlight5b3a']);
    }
    expect(late.allBytes().includes(text('#5e6f70'))).toBe(true);
    expect([...lights(gm.doc, party.sceneId).keys()].sort()).toEqual([
      'hiddenlight7e21',
      'revealedlight5b3a',
      'shownlight4c8d',
    ]);
  });
});
