/**
 * Scene thumbnails through the real rooms and app server: a thumbnail the
 * app server records reaches every GM's scene list through the room, and no
 * byte of it reaches a player — live, during a backstage hold (where it is
 * no unpublished change either), or after a room restart, which reads it
 * from the database. Clients cannot write it; a rename beside it keeps it.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { scene } from '../../../engine/generated/tables';
import {
  SESSION_META_KEYS,
  THUMBNAIL_META_KEY,
  getSceneThumbnail,
  getSessionMeta,
  setSceneName,
} from '../../../engine/sync/docLayout';
import type { PartykitDev } from '../../harness/partykit';
import { encodePng } from '../../../server/png';
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
let party: TestParty;
const clients: RawClient[] = [];

beforeAll(async () => {
  app = await startApp();
  pk = await startRooms(app);
  await app.useRooms(pk.httpUrl);
  party = await createParty(app);
});

afterAll(async () => {
  for (const c of clients) c.close();
  await pk?.stop();
  await app?.close();
});

async function client(token: string): Promise<RawClient> {
  const c = await RawClient.connect(roomUrl(pk, 'game_session', party.gameSessionId, token));
  clients.push(c);
  await c.whenSynced();
  return c;
}

let shade = 0;
/** Records a new thumbnail through the public API; returns its URL. */
async function putThumbnail(): Promise<string> {
  const png = encodePng(16, 16, new Uint8Array(16 * 16 * 4).fill((shade += 40) % 256));
  const res = await fetch(`${app.url}/api/scenes/${party.sceneId}/thumbnail`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${party.gm}`, 'content-type': 'image/png' },
    body: new Uint8Array(png),
  });
  const body = (await res.json()) as { thumbnail: string };
  expect(res.status).toBe(200);
  return body.thumbnail;
}

const thumbnailIn = (doc: Y.Doc) => {
  const map = sceneOf(doc, party.sceneId);
  return map ? getSceneThumbnail(map as Y.Map<unknown>) : '';
};
const received = (c: RawClient) => Buffer.concat(c.received);
const backstage = (body: Record<string, unknown>) =>
  app.api('POST', `/api/sessions/${party.gameSessionId}/backstage?token=${party.gm}`, body);

describe('scene thumbnails in the rooms', () => {
  let gm: RawClient;
  let otherGm: RawClient;
  let player: RawClient;

  it('a recorded thumbnail reaches every GM, and nothing of it a player', async () => {
    gm = await client(party.gm);
    otherGm = await client(party.gm);
    player = await client(party.player);
    expect(sceneOf(player.doc, party.sceneId)).toBeDefined();
    const url = await putThumbnail();
    await waitFor(
      'both GMs to see the thumbnail',
      () => thumbnailIn(gm.doc) === url && thumbnailIn(otherGm.doc) === url,
    );
    await player.roundTrip();
    expect(thumbnailIn(player.doc)).toBe('');
    expect(received(player).includes(url)).toBe(false);
    expect(received(player).includes(THUMBNAIL_META_KEY)).toBe(false);
  });

  it('a client cannot write the thumbnail; a rename beside it keeps it', async () => {
    const url = thumbnailIn(gm.doc);
    const meta = sceneOf(gm.doc, party.sceneId)!.get('meta') as Y.Map<unknown>;
    meta.set(THUMBNAIL_META_KEY, '/uploads/AAAAAAAAAAAAAAAA.png');
    await waitFor('the room to restore the thumbnail', () => thumbnailIn(gm.doc) === url);
    setSceneName(sceneOf(gm.doc, party.sceneId) as Y.Map<unknown>, 'Renamed with a thumbnail');
    await gm.roundTrip();
    await waitFor('the rename to be saved', async () => {
      const [row] = await app.database.db.select().from(scene).where(eq(scene.id, party.sceneId));
      return row?.name === 'Renamed with a thumbnail' && row.thumbnailUrl === url;
    });
    expect(thumbnailIn(gm.doc)).toBe(url);
    expect(thumbnailIn(otherGm.doc)).toBe(url);
  });

  it('during a hold a new thumbnail reaches the GMs, is no unpublished change, and players get nothing', async () => {
    expect((await backstage({ op: 'hold', by: 'GM' })).status).toBe(200);
    const hold = () => getSessionMeta(gm.doc).toJSON()[SESSION_META_KEYS.backstage];
    await waitFor('the hold', () => hold()?.by === 'GM');
    const from = player.received.length;
    const url = await putThumbnail();
    await waitFor('the GM to see the new thumbnail', () => thumbnailIn(gm.doc) === url);
    await player.roundTrip();
    expect(hold()).toMatchObject({ pending: [], structure: false });
    expect(Buffer.concat(player.received.slice(from)).includes(url)).toBe(false);
    expect((await backstage({ op: 'resume' })).status).toBe(200);
  });

  it('a restarted room reads the thumbnail from the database', async () => {
    const url = thumbnailIn(gm.doc);
    for (const c of clients.splice(0)) c.close();
    await pk.stop();
    pk = await startRooms(app);
    await app.useRooms(pk.httpUrl);
    const fresh = await client(party.gm);
    expect(thumbnailIn(fresh.doc)).toBe(url);
    const watcher = await client(party.player);
    expect(thumbnailIn(watcher.doc)).toBe('');
    expect(received(watcher).includes(url)).toBe(false);
  });
});
