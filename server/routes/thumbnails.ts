import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { eq } from 'drizzle-orm';
import { scene } from '../../engine/generated/tables';
import { authorize } from '../auth';
import { checkId } from '../body';
import type { AppDeps } from '../context';
import { badRequest, HttpError, notFound } from '../errors';
import { imageSize } from '../imageSize';
import { findScene } from '../lookup';
import { partyTag, partyUploadBytes } from '../partyUploads';
import { rateLimit } from '../rateLimit';
import { askRoom } from '../roomControl';
import { sniffFormat, storeUpload } from '../uploads';

/** Largest thumbnail file: a 256 px picture is a few tens of kB; this leaves room for busy maps as PNG. */
export const MAX_THUMBNAIL_BYTES = 512 * 1024;
/** Largest side in pixels: a thumbnail, not a second copy of the map. */
export const MAX_THUMBNAIL_SIDE = 512;
/** What a browser canvas encodes (`toBlob`): PNG everywhere, WebP where supported. */
const THUMBNAIL_TYPES = ['image/png', 'image/webp'];

/**
 * `PUT /api/scenes/:sceneId/thumbnail` (GM): the body is the picture (PNG or
 * WebP, checked by content, at most 512 kB and 512 px a side). It is stored
 * as an upload of the scene's party and recorded in the scene's
 * `thumbnail_url`; the upload GC counts it as used from then on, and the
 * thumbnail it replaces becomes unused (collected after the grace period).
 * `lastUpdated` stays: a thumbnail is not scene content, so it never looks
 * like drift. The live room is told, and puts the URL where GM editors read
 * the scene list (never into the player projection). Answers `{thumbnail}`.
 */
export function thumbnailRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const limitKb = MAX_THUMBNAIL_BYTES / 1024;
  const tooLarge = () => new HttpError(413, `a thumbnail must be at most ${limitKb} kB`, 'file');

  app.put(
    '/:sceneId/thumbnail',
    rateLimit('thumbnails', deps.rateLimits.thumbnail),
    bodyLimit({
      maxSize: MAX_THUMBNAIL_BYTES,
      onError: () => {
        throw tooLarge();
      },
    }),
    async (c) => {
      const sceneId = checkId(c.req.param('sceneId'), 'sceneId');
      const { session } = await findScene(deps.database.db, sceneId);
      await authorize(c, deps, session.partyId, ['gm']);
      const data = new Uint8Array(await c.req.arrayBuffer());
      if (data.byteLength === 0)
        throw badRequest('the thumbnail is empty; send the picture as the body', 'file');
      if (data.byteLength > MAX_THUMBNAIL_BYTES) throw tooLarge();
      const format = sniffFormat(data);
      if (!format || !THUMBNAIL_TYPES.includes(format.mime))
        throw new HttpError(415, `a thumbnail must be ${THUMBNAIL_TYPES.join(' or ')}`, 'file');
      const declared = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
      if (declared !== '' && declared !== 'application/octet-stream' && declared !== format.mime)
        throw new HttpError(
          415,
          `the body says it is ${declared} but its contents are ${format.mime}`,
          'file',
        );
      const size = imageSize(data, format.mime);
      if (!size) throw badRequest(`the ${format.mime} header cannot be read`, 'file');
      if (
        size.width < 1 ||
        size.height < 1 ||
        size.width > MAX_THUMBNAIL_SIDE ||
        size.height > MAX_THUMBNAIL_SIDE
      )
        throw badRequest(
          `a thumbnail must be 1 to ${MAX_THUMBNAIL_SIDE} px a side; this one is ${size.width}×${size.height}`,
          'file',
        );
      const used = await partyUploadBytes(deps.uploadsDir, session.partyId);
      if (used + data.byteLength > deps.partyUploadQuota)
        throw new HttpError(
          413,
          "the party's uploads are at their quota; delete unused scenes first",
          'file',
        );
      const name = await storeUpload(deps.uploadsDir, data, format, partyTag(session.partyId));
      const url = `/uploads/${name}`;
      const updated = await deps.database.write((tx) =>
        tx.update(scene).set({ thumbnailUrl: url }).where(eq(scene.id, sceneId)).returning({ id: scene.id }),
      );
      // Deleted while the picture was stored: the file is unused and the sweep collects it.
      if (updated.length === 0) throw notFound('scene', sceneId);
      void tellRoom(deps, session.id, sceneId, url);
      return c.json({ thumbnail: url });
    },
  );
  return app;
}

/** The live room mirrors the URL into the GMs' scene list; a room not running reads it when it hydrates. */
async function tellRoom(deps: AppDeps, gameSessionId: string, sceneId: string, url: string): Promise<void> {
  if (!deps.partykitUrl) return;
  const answer = await askRoom(deps, gameSessionId, { action: 'thumbnail', sceneId, thumbnail: url });
  if (!answer.ok || answer.status !== 200)
    deps.log(
      `room ${gameSessionId} not told of scene ${sceneId}'s thumbnail: ${answer.ok ? `it answered ${answer.status}` : answer.reason}`,
    );
}
