/**
 * The game-session and party rooms against a real `partykit dev` and the real
 * app server + libSQL DB: convergence, read-only players with a projection
 * free of GM data, token checks, awareness anti-spoofing, validation and
 * repair, saving, and reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { signToken } from '../../../engine/auth';
import { registry } from '../../../engine/generated/schemas';
import { encodeTile, FOG_TILE } from '../../../plugins/fogOfWar/mask';
import type { PartykitDev } from '../../harness/partykit';
import {
  INTERNAL_SECRET,
  RawClient,
  createParty,
  dbScene,
  picks,
  providerClient,
  roomUrl,
  sceneOf,
  sleep,
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

async function gmClient(party: TestParty) {
  const c = await RawClient.connect(roomUrl(pk, 'game_session', party.gameSessionId, party.gm));
  cleanups.push(() => c.close());
  await c.whenSynced();
  return c;
}

async function playerClient(party: TestParty) {
  const c = await RawClient.connect(roomUrl(pk, 'game_session', party.gameSessionId, party.player));
  cleanups.push(() => c.close());
  await c.whenSynced();
  return c;
}

function groupOf(doc: Y.Doc, sceneId: string, key: string): Y.Map<unknown> {
  const g = sceneOf(doc, sceneId)?.get(key);
  if (!(g instanceof Y.Map)) throw new Error(`scene ${sceneId} has no ${key} map`);
  return g as Y.Map<unknown>;
}

describe('game_session room', () => {
  it('hydrates from the DB and two GM clients (YPartyKitProvider) converge', async () => {
    const party = await createParty(app);
    const a = providerClient(pk, 'game_session', party.gameSessionId, party.gm);
    const b = providerClient(pk, 'game_session', party.gameSessionId, party.gm);
    cleanups.push(
      () => a.provider.destroy(),
      () => b.provider.destroy(),
    );
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    expect(sceneOf(a.doc, party.sceneId)).toBeDefined();
    expect(a.doc.getArray('scenesList').toArray()).toEqual([party.sceneId]);
    expect(a.doc.getMap('gameSessionMeta').get('initialized')).toBe(true);

    const { plugin, prop, max } = picks.rangedNumber();
    groupOf(a.doc, party.sceneId, plugin.key).set(prop.yjsKey, max);
    await waitFor(
      'b to see a’s edit',
      () => groupOf(b.doc, party.sceneId, plugin.key).get(prop.yjsKey) === max,
    );
  });

  it('hydrates once when several clients connect to a new room at the same time', async () => {
    const party = await createParty(app);
    const clients = await Promise.all(
      Array.from({ length: 5 }, () =>
        RawClient.connect(roomUrl(pk, 'game_session', party.gameSessionId, party.gm)),
      ),
    );
    for (const c of clients) cleanups.push(() => c.close());
    await Promise.all(clients.map((c) => c.whenSynced()));
    for (const c of clients) {
      expect(c.doc.getArray('scenesList').toArray()).toEqual([party.sceneId]);
      expect([...c.doc.getMap('scenes').keys()]).toEqual([party.sceneId]);
    }
    // One hydration writes one set of items: every client holds the same, single-writer state.
    const vectors = clients.map((c) => JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(c.doc))]));
    expect(new Set(vectors).size).toBe(1);
    expect(JSON.parse(vectors[0]!)).toHaveLength(1);
  });

  it('keeps serving a reconnect that reuses the connection id while the old socket closes', async () => {
    // YPartyKitProvider reconnects with the same `_pk` id, sometimes before the old socket is gone.
    const party = await createParty(app);
    // Each connection brings its own ticket, as the provider's reconnects do.
    const url = async () =>
      `${await roomUrl(pk, 'game_session', party.gameSessionId, party.gm)}&_pk=same-connection-id`;
    const old = await RawClient.connect(url());
    await old.whenSynced();
    const fresh = await RawClient.connect(url());
    cleanups.push(() => fresh.close());
    await fresh.whenSynced();
    old.close();
    await old.whenClosed();
    const witness = await gmClient(party);
    const { plugin, prop, max } = picks.rangedNumber();
    groupOf(fresh.doc, party.sceneId, plugin.key).set(prop.yjsKey, max);
    await waitFor(
      'the edit from the reconnected socket',
      () => groupOf(witness.doc, party.sceneId, plugin.key).get(prop.yjsKey) === max,
    );
  });

  it('keeps concurrent edits to different fields of one scene, and converges on same-field edits', async () => {
    const party = await createParty(app);
    const a = await gmClient(party);
    const b = await gmClient(party);
    const { plugin, a: first, b: second } = picks.twoProps();
    const valueA = first.decl.kind === 'number' ? first.decl.max! : 0;
    const valueB = second.decl.kind === 'number' ? second.decl.min! : 0;
    groupOf(a.doc, party.sceneId, plugin.key).set(first.yjsKey, valueA);
    groupOf(b.doc, party.sceneId, plugin.key).set(second.yjsKey, valueB);
    for (const c of [a, b])
      await waitFor('both fields on both clients', () => {
        const g = groupOf(c.doc, party.sceneId, plugin.key);
        return g.get(first.yjsKey) === valueA && g.get(second.yjsKey) === valueB;
      });

    groupOf(a.doc, party.sceneId, plugin.key).set(first.yjsKey, valueB);
    groupOf(b.doc, party.sceneId, plugin.key).set(first.yjsKey, valueA);
    await waitFor('same-field edits to converge', () => {
      const va = groupOf(a.doc, party.sceneId, plugin.key).get(first.yjsKey);
      const vb = groupOf(b.doc, party.sceneId, plugin.key).get(first.yjsKey);
      return va === vb && (va === valueA || va === valueB);
    });
  });

  it('saves GM edits to the DB within the debounce bound and records lastUpdated', async () => {
    const party = await createParty(app);
    const a = await gmClient(party);
    const { plugin, prop, max } = picks.rangedNumber();
    groupOf(a.doc, party.sceneId, plugin.key).set(prop.yjsKey, max);
    await waitFor('the DB to hold the edit', async () => {
      const scene = await dbScene(app, party.gameSessionId, party.sceneId);
      return scene?.props[plugin.key][prop.key] === max;
    });
    const scene = await dbScene(app, party.gameSessionId, party.sceneId);
    await waitFor('lastUpdated in gameSessionMeta', () => {
      const lu = a.doc.getMap('gameSessionMeta').get('lastUpdated');
      return lu instanceof Y.Map && lu.get(party.sceneId) === scene!.lastUpdated;
    });
    await waitFor('save state saved', () => {
      const save = a.doc.getMap('gameSessionMeta').get('save') as { state?: string } | undefined;
      return save?.state === 'saved';
    });
  });

  it('gives players a read-only projection without gm-audience values or gm-only members', async () => {
    const party = await createParty(app);
    const gm = await gmClient(party);
    const { plugin: notes, prop: noteProp } = picks.gmText();
    const { collection, ruleProp, hiddenValue, visibleValue, gmText, text } = picks.gmCollection();
    const NOTE = 'SECRET-GM-NOTE-7f3a';
    const HIDDEN_ID = 'hiddenmarker9b2c';
    const MEMBER_NOTE = 'MEMBER-GM-NOTE-41d8';
    const VISIBLE_ID = 'visiblemarker5e6f';
    gm.doc.transact(() => {
      groupOf(gm.doc, party.sceneId, notes.key).set(noteProp.yjsKey, NOTE);
      const members = groupOf(gm.doc, party.sceneId, collection.key);
      const hidden = new Y.Map<unknown>();
      members.set(HIDDEN_ID, hidden);
      hidden.set(ruleProp.yjsKey, hiddenValue);
      hidden.set(text.yjsKey, 'HIDDEN-LABEL-c0de');
      const visible = new Y.Map<unknown>();
      members.set(VISIBLE_ID, visible);
      visible.set(ruleProp.yjsKey, visibleValue);
      visible.set(text.yjsKey, 'visible label');
      visible.set(gmText.yjsKey, MEMBER_NOTE);
    });

    const player = await playerClient(party);
    await waitFor('the visible member to reach the player', () =>
      groupOf(player.doc, party.sceneId, collection.key).has(VISIBLE_ID),
    );
    const members = groupOf(player.doc, party.sceneId, collection.key);
    expect(members.has(HIDDEN_ID)).toBe(false);
    expect((members.get(VISIBLE_ID) as Y.Map<unknown>).has(gmText.yjsKey)).toBe(false);
    expect(groupOf(player.doc, party.sceneId, notes.key).has(noteProp.yjsKey)).toBe(false);

    // The GM hides the visible member, then edits the note: the player still never gets a GM byte.
    const NOTE2 = 'SECOND-GM-NOTE-99aa';
    ((groupOf(gm.doc, party.sceneId, collection.key).get(VISIBLE_ID) as Y.Map<unknown>) ?? new Y.Map()).set(
      ruleProp.yjsKey,
      hiddenValue,
    );
    groupOf(gm.doc, party.sceneId, notes.key).set(noteProp.yjsKey, NOTE2);
    await waitFor('the hidden member to vanish for the player', () => !members.has(VISIBLE_ID));

    // A player's writes are dropped: nothing changes on the server or for the GM.
    const { plugin, prop, min } = picks.rangedNumber();
    const before = groupOf(gm.doc, party.sceneId, plugin.key).get(prop.yjsKey);
    groupOf(player.doc, party.sceneId, plugin.key).set(prop.yjsKey, min === before ? min + 0.01 : min);
    player.doc.getMap('scenes').set('playerscene1', new Y.Map());
    await sleep(500);
    const fresh = await gmClient(party);
    expect(groupOf(fresh.doc, party.sceneId, plugin.key).get(prop.yjsKey)).toEqual(before);
    expect(fresh.doc.getMap('scenes').has('playerscene1')).toBe(false);

    const bytes = player.allBytes();
    for (const secret of [NOTE, NOTE2, MEMBER_NOTE, HIDDEN_ID, 'HIDDEN-LABEL-c0de'])
      expect(bytes.includes(Buffer.from(secret)), `player received "${secret}"`).toBe(false);
    expect(player.closed).toBeUndefined();
  });

  it('refuses missing, forged, expired and other-party tokens', async () => {
    const party = await createParty(app);
    const other = await createParty(app, 'Other party');
    const url = (token?: string) => roomUrl(pk, 'game_session', party.gameSessionId, token);

    const none = await RawClient.open(url());
    expect(none).toMatchObject({ refused: 401 });
    expect((none as { body: string }).body).toMatch(/missing/);

    const forged = await signToken('a-different-secret-0123456789abcdef', {
      role: 'gm',
      partyId: party.partyId,
    });
    expect(await RawClient.open(url(forged))).toMatchObject({
      refused: 401,
      body: expect.stringMatching(/signature/),
    });

    const expired = await signToken(
      'partykit-test-token-secret-0123456789',
      { role: 'gm', partyId: party.partyId },
      1,
    );
    await sleep(2100);
    expect(await RawClient.open(url(expired))).toMatchObject({
      refused: 401,
      body: expect.stringMatching(/expired/),
    });

    expect(await RawClient.open(url('not-a-jwt'))).toMatchObject({ refused: 401 });

    // Another party's token gets no ticket for this party's rooms: the rooms never see the attempt.
    expect(await RawClient.open(url(other.gm))).toMatchObject({
      refused: 403,
      ticket: true,
      body: expect.stringMatching(/another party/),
    });
    expect(await RawClient.open(roomUrl(pk, 'party', party.partyId, other.gm))).toMatchObject({
      refused: 403,
      ticket: true,
    });
    // And a ticket for the other party's own room opens nothing here.
    const foreign = await roomUrl(pk, 'party', other.partyId, other.gm);
    const ticket = new URL(foreign).searchParams.get('ticket')!;
    expect(
      await RawClient.open(`${pk.wsUrl}/parties/party/${party.partyId}?ticket=${encodeURIComponent(ticket)}`),
    ).toMatchObject({ refused: 401, body: expect.stringMatching(/another room/) });
    expect(await RawClient.open(roomUrl(pk, 'party', party.partyId))).toMatchObject({ refused: 401 });
  });

  it('repairs invalid values from a raw GM client; other clients and the DB only ever get valid data', async () => {
    const party = await createParty(app);
    const attacker = await gmClient(party);
    const witness = await gmClient(party);
    const { plugin, prop, max } = picks.rangedNumber();
    const group = groupOf(attacker.doc, party.sceneId, plugin.key);
    group.set(prop.yjsKey, max);
    await waitFor(
      'the valid value to arrive',
      () => groupOf(witness.doc, party.sceneId, plugin.key).get(prop.yjsKey) === max,
    );

    const seen: unknown[] = [];
    groupOf(witness.doc, party.sceneId, plugin.key).observe(() =>
      seen.push(groupOf(witness.doc, party.sceneId, plugin.key).get(prop.yjsKey)),
    );
    for (const bad of ['a string', Number.NaN, 1e9, null, { x: 1 }]) group.set(prop.yjsKey, bad);
    group.set('unknownKey', 5);
    sceneOf(attacker.doc, party.sceneId)!.set('notAPlugin', 'junk');
    attacker.doc.getMap('evilRoot').set('x', 1);
    attacker.doc.getMap('gameSessionMeta').set('initialized', false);

    await waitFor('the attacker to be repaired', () => {
      const g = groupOf(attacker.doc, party.sceneId, plugin.key);
      return (
        g.get(prop.yjsKey) === max &&
        !g.has('unknownKey') &&
        !sceneOf(attacker.doc, party.sceneId)!.has('notAPlugin') &&
        attacker.doc.getMap('gameSessionMeta').get('initialized') === true
      );
    });
    expect(groupOf(witness.doc, party.sceneId, plugin.key).get(prop.yjsKey)).toBe(max);
    // Observers fire after each whole transaction: the witness never held an invalid value.
    for (const v of seen) expect(v).toBe(max);
    expect(witness.doc.getMap('evilRoot').size).toBe(0);

    // The DB holds only the valid value.
    const res = await fetch(`${pk.httpUrl}/parties/game_session/${party.gameSessionId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INTERNAL_SECRET}` },
      body: JSON.stringify({ action: 'flush' }),
    });
    expect(res.status).toBe(200);
    await waitFor(
      'the save',
      async () =>
        (await dbScene(app, party.gameSessionId, party.sceneId))?.props[plugin.key][prop.key] === max,
    );
    expect(attacker.closed).toBeUndefined();
  });

  it('accepts only blobs of declared channels within their limits: fog tiles sync, save and reload; the rest is repaired away', async () => {
    const party = await createParty(app);
    const attacker = await gmClient(party);
    const player = await playerClient(party);
    const fog = registry.channelOf('fog/0_0')!;
    const tile = encodeTile(new Uint8Array(FOG_TILE * FOG_TILE).map((_, i) => (i % 3 === 0 ? 1 : 0)));
    const blobs = () => groupOf(attacker.doc, party.sceneId, 'blobs');
    attacker.doc.transact(() => {
      blobs().set('fog/0_0', tile);
      blobs().set('nope/1', tile);
      blobs().set('fog/1_1', new Uint8Array(fog.decl.maxBytes + 1).fill(1));
      blobs().set('fog/2_2', Uint8Array.from([9, 9, 9]));
    });
    await waitFor('the room to repair the refused blobs', () => blobs().size === 1 && blobs().has('fog/0_0'));
    await waitFor('the player to receive the valid tile', () => {
      const b = sceneOf(player.doc, party.sceneId)?.get('blobs');
      return b instanceof Y.Map && b.get('fog/0_0') instanceof Uint8Array;
    });
    expect([...(sceneOf(player.doc, party.sceneId)!.get('blobs') as Y.Map<unknown>).keys()]).toEqual([
      'fog/0_0',
    ]);
    const res = await fetch(`${pk.httpUrl}/parties/game_session/${party.gameSessionId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INTERNAL_SECRET}` },
      body: JSON.stringify({ action: 'flush' }),
    });
    expect(res.status).toBe(200);
    await waitFor('the save', async () => {
      const scene = await dbScene(app, party.gameSessionId, party.sceneId);
      return scene?.blobs['fog/0_0'] === Buffer.from(tile).toString('base64');
    });
    expect(Object.keys((await dbScene(app, party.gameSessionId, party.sceneId))!.blobs)).toEqual(['fog/0_0']);
    // A client joining later sees exactly the saved tile.
    const late = await gmClient(party);
    expect(Buffer.from(groupOf(late.doc, party.sceneId, 'blobs').get('fog/0_0') as Uint8Array)).toEqual(
      Buffer.from(tile),
    );
    expect(attacker.closed).toBeUndefined();
  });
});
