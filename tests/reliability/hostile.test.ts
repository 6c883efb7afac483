/**
 * Hostile clients against the real stack: every kind of bad token is
 * refused before the room sends a byte; a player connection's sync step 2
 * and update messages change nothing anyone sees; awareness cannot be taken
 * over, even after its owner left; and a player's whole received byte
 * stream — connected throughout, joining late, or reconnecting with an old
 * document — holds no gm-audience value and no gm-only member, whatever the
 * GM creates, hides, reveals and deletes. The gm data is chosen through the
 * registry (`audience === 'gm'`, `gmOnlyWhen`), so the test follows the schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { SignJWT } from 'jose';
import { signToken } from '../../engine/auth';
import { registry } from '../../engine/generated';
import type { PluginInfo, PropInfo } from '../../engine/schema';
import { deleteMember, getSceneMap, setPath } from '../../engine/sync/docLayout';
import {
  RawClient,
  TOKEN_SECRET,
  createParty,
  roomUrl,
  sleep,
  waitFor,
  type TestParty,
} from '../integration/partykit/support';
import { addMember, randomEdit, sceneData, stable } from './support/edits';
import { validValueOf, withSeed, type Rng } from './support/seed';
import { roomStatus, startStack, type Stack } from './support/stack';

let stack: Stack;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  for (const c of cleanups) c();
  await stack?.close();
});

async function raw(party: TestParty, token = party.gm): Promise<RawClient> {
  const c = await RawClient.connect(roomUrl(stack.pk, 'game_session', party.gameSessionId, token));
  cleanups.push(() => c.close());
  await c.whenSynced();
  return c;
}

const b64url = (s: string) => Buffer.from(s).toString('base64url');

describe('tokens', () => {
  it('missing, forged, expired, tampered, unsigned and other-party tokens are refused before the room sends a byte', async () => {
    const party = await createParty(stack.app, 'Token party');
    const other = await createParty(stack.app, 'Other token party');
    const [, payload, signature] = party.player.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const header = JSON.parse(Buffer.from(party.player.split('.')[0]!, 'base64url').toString()) as object;
    const cases: Array<[string, string | undefined]> = [
      ['no token', undefined],
      ['an empty token', ''],
      ['garbage', 'not.a.jwt'],
      [
        'a forged signature',
        await signToken('some-other-secret-0123456789abcdef', { role: 'gm', partyId: party.partyId }),
      ],
      [
        'an expired token',
        await new SignJWT({ role: 'gm', partyId: party.partyId })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
          .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
          .sign(new TextEncoder().encode(TOKEN_SECRET)),
      ],
      [
        'a player token whose role was edited to gm',
        `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify({ ...claims, role: 'gm' }))}.${signature}`,
      ],
      [
        'an unsigned (alg none) gm token',
        `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify({ ...claims, role: 'gm' }))}.`,
      ],
      ['another party’s GM token', other.gm],
      ['another party’s player token', other.player],
    ];
    const witness = await raw(party);
    for (const [what, token] of cases) {
      const attempt = await RawClient.open(roomUrl(stack.pk, 'game_session', party.gameSessionId, token));
      if (attempt instanceof RawClient) {
        cleanups.push(() => attempt.close());
        const closed = await attempt.whenClosed();
        expect([4401, 4403], what).toContain(closed.code);
        expect(attempt.allBytes().length, `${what}: bytes received before the refusal`).toBe(0);
      } else {
        expect([401, 403], what).toContain(attempt.refused);
      }
    }
    expect((await roomStatus(stack.pk, party.gameSessionId)).connections).toBe(1);
    expect(witness.closed).toBeUndefined();
  });
});

describe('read-only players', () => {
  it('sync step 2, update and forged step 1 messages from a player change nothing anyone sees', () =>
    withSeed('player-writes', async (rng) => {
      const party = await createParty(stack.app, 'Player write party');
      const gm = await raw(party);
      randomEdit(gm.doc, party.sceneId, rng, 'g', { n: 0 }, ['add', 'prop']);
      const player = await raw(party, party.player);
      await sleep(300);
      const before = stable(sceneData(gm.doc, party.sceneId));
      let gmUpdates = 0;
      gm.doc.on('update', () => gmUpdates++);

      // A hostile doc with edits of its own, sent every way a writer would.
      const evil = new Y.Doc();
      Y.applyUpdate(evil, Y.encodeStateAsUpdate(gm.doc));
      const sv = Y.encodeStateVector(evil);
      const counter = { n: 0 };
      for (let i = 0; i < 20; i++) randomEdit(evil, party.sceneId, rng, 'evil', counter);
      evil.getMap('scenes').set('evilscene', new Y.Map());
      const update = Y.encodeStateAsUpdate(evil, sv);
      const send = (write: (e: encoding.Encoder) => void) => {
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, 0);
        write(e);
        player.send(encoding.toUint8Array(e));
      };
      send((e) => syncProtocol.writeSyncStep2(e, evil, sv));
      send((e) => syncProtocol.writeUpdate(e, update));
      send((e) => syncProtocol.writeSyncStep2(e, evil));
      // A step 1 claiming to know far more than exists must not make the room skip or reveal anything.
      const inflated = encoding.createEncoder();
      encoding.writeVarUint(inflated, 2);
      encoding.writeVarUint(inflated, gm.doc.clientID);
      encoding.writeVarUint(inflated, 1e9);
      encoding.writeVarUint(inflated, 12345);
      encoding.writeVarUint(inflated, 7);
      send((e) => {
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint8Array(e, encoding.toUint8Array(inflated));
      });
      await sleep(1000);

      expect(gmUpdates, 'the GM received no change').toBe(0);
      const fresh = await raw(party);
      expect(stable(sceneData(fresh.doc, party.sceneId))).toBe(before);
      expect(fresh.doc.getMap('scenes').has('evilscene')).toBe(false);
      // The player still gets the GM's next edit.
      randomEdit(gm.doc, party.sceneId, rng, 'g2', { n: 0 }, ['prop']);
      const later = await raw(party, party.player);
      await waitFor(
        'a fresh player to get the GM edit',
        () =>
          stable(sceneData(later.doc, party.sceneId, 'player').props) ===
          stable(sceneData(gm.doc, party.sceneId, 'player').props),
      );
    }));
});

describe('awareness', () => {
  it('no connection can take over the GM’s awareness id, during or after the GM’s connection, or claim unbounded ids', async () => {
    const party = await createParty(stack.app, 'Awareness party');
    const gm = await raw(party);
    const player = await raw(party, party.player);
    const observer = await raw(party, party.player);
    gm.publishAwareness({ cursor: { x: 1, y: 1 }, user: { name: 'GM' } });
    await waitFor('the observer to see the GM', () => observer.awareness.getStates().has(gm.doc.clientID));
    const gmId = gm.doc.clientID;
    // A player claiming to be the GM in its own state is still shown with the role its token gives.
    player.publishAwareness({ cursor: { x: 5, y: 5 }, user: { name: 'GM', role: 'gm' } });
    await waitFor('the observer to see the player', () =>
      observer.awareness.getStates().has(player.doc.clientID),
    );
    const shown = observer.awareness.getStates().get(player.doc.clientID) as { user?: { role?: string } };
    expect(shown.user?.role, 'the role shown is the token’s').toBe('player');
    player.sendAwareness(gmId, { cursor: { x: 66, y: 66 }, user: { name: 'GM' } }, 10);
    // Many ids from one connection: only the first few are owned, the rest are dropped.
    for (let i = 1; i <= 12; i++)
      player.sendAwareness(900_000 + i, { cursor: { x: i, y: i }, user: { name: `bot ${i}` } }, 1);
    await sleep(500);
    expect(observer.awareness.getStates().get(gmId)).toMatchObject({
      cursor: { x: 1, y: 1 },
      user: { name: 'GM' },
    });
    const bots = [...observer.awareness.getStates().keys()].filter((id) => id > 900_000 && id <= 900_012);
    expect(bots.length).toBeLessThanOrEqual(4);

    gm.close();
    await waitFor('the GM cursor to go', () => !observer.awareness.getStates().has(gmId));
    // The GM has left: its id must still not be claimable by a player.
    player.sendAwareness(gmId, { cursor: { x: 77, y: 77 }, user: { name: 'GM' } }, 20);
    await sleep(500);
    expect(
      observer.awareness.getStates().get(gmId),
      'a player took over the GM’s awareness id',
    ).toBeUndefined();
  });
});

/** gm data the registry defines: scene props with audience gm, collections with gm-only rules. */
const gmSceneProps = registry.scenePlugins.flatMap((plugin) =>
  plugin.props.filter((p) => p.audience === 'gm' && !p.localOnly).map((prop) => ({ plugin, prop })),
);
const gmCollections = registry.collections
  .map((collection) => {
    const rules = [...collection.gmOnlyWhen].flatMap(([key, values]) =>
      values.map((value) => ({ prop: collection.props.find((p) => p.key === key)!, value })),
    );
    return { collection, rules };
  })
  .filter((c) => c.rules.length);

/** A value for a visible member that no gm-only rule matches. */
function visibleValue(collection: PluginInfo, prop: PropInfo): unknown {
  const hidden = collection.gmOnlyWhen.get(prop.key) ?? [];
  if (!hidden.includes(prop.decl.default as never)) return prop.decl.default;
  if (prop.decl.kind === 'enum') return prop.decl.values.find((v) => !hidden.includes(v as never));
  if (prop.decl.kind === 'boolean') return !prop.decl.default;
  throw new Error(`cannot find a visible value for ${prop.id}`);
}

describe('what players receive', () => {
  it('no byte of gm-audience values or gm-only members reaches a player, through create, hide, reveal, delete and reconnect', () =>
    withSeed('player-bytes', async (rng: Rng) => {
      expect(gmSceneProps.length + gmCollections.length, 'the registry defines gm data').toBeGreaterThan(0);
      const party = await createParty(stack.app, 'Secret party');
      const gm = await raw(party);
      const early = await raw(party, party.player);
      const reconnecting = await raw(party, party.player);
      const scene = () => getSceneMap(gm.doc, party.sceneId)!;
      const secrets: string[] = [];
      let n = 0;
      const secret = () => {
        const s = `GMSECRET${(++n).toString(36)}Z${rng.int(1e5, 1e6)}`;
        secrets.push(s);
        return s;
      };
      /** A gm-only or hidden member id: never to reach a player. */
      const hiddenId = () => {
        const id = `hid${(++n).toString(36)}q${rng.int(1e5, 1e6)}`;
        secrets.push(id);
        return id;
      };
      const stringGmProps = (c: PluginInfo) =>
        c.props.filter((p) => p.audience === 'gm' && p.decl.kind === 'string');
      const writeSecrets = (c: PluginInfo, id: string) => {
        for (const p of stringGmProps(c)) setPath(scene(), [c.key, id, p.key], secret(), registry);
      };
      const nonSecretGmKeys = new Set<string>();

      for (let round = 0; round < 6; round++) {
        // Scene-level gm values.
        for (const { plugin, prop } of gmSceneProps) {
          if (prop.decl.kind === 'string') setPath(scene(), [plugin.key, prop.key], secret(), registry);
          else {
            setPath(scene(), [plugin.key, prop.key], validValueOf(prop.decl, rng), registry);
            nonSecretGmKeys.add(`${plugin.key}.${prop.yjsKey}`);
          }
        }
        for (const { collection, rules } of gmCollections) {
          const rule = rng.pick(rules);
          // 1. A member created gm-only, with secrets everywhere (its id too).
          const hid = hiddenId();
          gm.doc.transact(() => {
            addMember(gm.doc, party.sceneId, collection, hid, rng);
            setPath(scene(), [collection.key, hid, rule.prop.key], rule.value, registry);
            for (const p of collection.props.filter((q) => q.decl.kind === 'string'))
              setPath(scene(), [collection.key, hid, p.key], secret(), registry);
          });
          // 2. A visible member whose gm-audience values are secret.
          const vis = `vis${(++n).toString(36)}`;
          gm.doc.transact(() => {
            addMember(gm.doc, party.sceneId, collection, vis, rng);
            for (const { prop } of rules)
              setPath(scene(), [collection.key, vis, prop.key], visibleValue(collection, prop), registry);
            writeSecrets(collection, vis);
          });
          await sleep(rng.int(0, 100));
          // 3. The GM hides the visible one and then writes secrets into its public props.
          setPath(scene(), [collection.key, vis, rule.prop.key], rule.value, registry);
          gm.doc.transact(() => {
            for (const p of collection.props.filter((q) => q.decl.kind === 'string' && q.audience !== 'gm'))
              setPath(scene(), [collection.key, vis, p.key], secret(), registry);
            writeSecrets(collection, vis);
          });
          // 4. Revealed-then-rehidden in one transaction: players must not see it flash.
          gm.doc.transact(() => {
            for (const { prop } of rules)
              setPath(scene(), [collection.key, hid, prop.key], visibleValue(collection, prop), registry);
            setPath(scene(), [collection.key, hid, rule.prop.key], rule.value, registry);
          });
          // 5. Deleted while hidden.
          if (rng.chance(0.5)) deleteMember(scene(), collection.key, hid);
          // 6. A gm-only member revealed for real: its public props may go, its gm values may not.
          const shown = hiddenId();
          secrets.pop(); // its id becomes public once revealed
          gm.doc.transact(() => {
            addMember(gm.doc, party.sceneId, collection, shown, rng);
            setPath(scene(), [collection.key, shown, rule.prop.key], rule.value, registry);
            writeSecrets(collection, shown);
          });
          await sleep(rng.int(0, 100));
          for (const { prop } of rules)
            setPath(scene(), [collection.key, shown, prop.key], visibleValue(collection, prop), registry);
        }
        if (round === 2) {
          // Reconnect with the old document: the handshake must not leak what changed meanwhile.
          reconnecting.close();
          await sleep(rng.int(0, 200));
        }
        await sleep(rng.int(0, 150));
      }
      const again = await RawClient.connect(
        roomUrl(stack.pk, 'game_session', party.gameSessionId, party.player),
      );
      cleanups.push(() => again.close());
      // Start the reconnect from the old doc's state, as a provider does.
      Y.applyUpdate(again.doc, Y.encodeStateAsUpdate(reconnecting.doc));
      const step1 = encoding.createEncoder();
      encoding.writeVarUint(step1, 0);
      syncProtocol.writeSyncStep1(step1, again.doc);
      again.send(encoding.toUint8Array(step1));
      const late = await raw(party, party.player);

      const projection = () => stable(sceneData(gm.doc, party.sceneId, 'player').props);
      for (const [who, c] of [
        ['early', early],
        ['reconnected', again],
        ['late', late],
      ] as const) {
        await waitFor(
          `the ${who} player to hold the projection`,
          () => stable(sceneData(c.doc, party.sceneId, 'player').props) === projection(),
        );
        const bytes = c.allBytes();
        for (const s of secrets)
          expect(bytes.includes(Buffer.from(s)), `${who} player received "${s}"`).toBe(false);
        // Non-text gm values: the key is never in the player's document.
        const sceneMap = getSceneMap(c.doc, party.sceneId)!;
        for (const key of nonSecretGmKeys) {
          const [group, yjsKey] = key.split('.') as [string, string];
          expect(
            (sceneMap.get(group) as Y.Map<unknown> | undefined)?.has(yjsKey),
            `${who} holds ${key}`,
          ).not.toBe(true);
        }
        expect(c.closed).toBeUndefined();
      }
      expect(secrets.length).toBeGreaterThan(10);
    }));
});
