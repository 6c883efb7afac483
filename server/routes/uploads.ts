import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Registry } from '../../engine/schema';
import { authenticate } from '../auth';
import type { AppDeps } from '../context';
import { badRequest, HttpError } from '../errors';
import { MEDIA_FORMATS, mimeOfUploadName, sniffFormat, storeUpload, UPLOAD_NAME } from '../uploads';
import { partyTag, partyUploadBytes } from '../partyUploads';
import { rateLimit } from '../rateLimit';

/** Multipart framing around the file: boundaries and part headers. */
const MULTIPART_OVERHEAD = 16 * 1024;

/** Every MIME type some asset property of the registry accepts (and the server can recognise). */
export function acceptedMimeTypes(registry: Registry): Set<string> {
  const known = new Set(MEDIA_FORMATS.map((f) => f.mime));
  const out = new Set<string>();
  for (const prop of registry.props)
    if (prop.decl.kind === 'asset')
      for (const mime of prop.decl.accept ?? known) if (known.has(mime)) out.add(mime);
  return out;
}

/**
 * `POST /api/uploads` (any GM token): the file as multipart field `file` or as
 * the raw body. The type comes from the file's own bytes; a declared type
 * that disagrees is refused. Answers `201 {url, type, size}`.
 */
export function uploadRoutes(deps: AppDeps): Hono<{ Variables: { partyId: string } }> {
  const app = new Hono<{ Variables: { partyId: string } }>();
  const accepted = acceptedMimeTypes(deps.registry);
  const limitMb = (deps.maxUploadBytes / (1024 * 1024)).toFixed(1);

  app.post(
    '/',
    rateLimit('uploads', deps.rateLimits.upload),
    async (c, next) => {
      const claims = await authenticate(c, deps);
      if (claims.role !== 'gm') throw new HttpError(403, 'only a GM may upload files');
      c.set('partyId', claims.partyId);
      await next();
    },
    bodyLimit({
      maxSize: deps.maxUploadBytes + MULTIPART_OVERHEAD,
      onError: () => {
        throw new HttpError(413, `the file is larger than the ${limitMb} MB limit`, 'file');
      },
    }),
    async (c) => {
      const contentType = c.req.header('content-type') ?? '';
      let data: Uint8Array;
      let declared: string;
      if (contentType.startsWith('multipart/form-data')) {
        const form = await c.req.parseBody();
        const file = form.file;
        if (!(file instanceof File)) throw badRequest('send the file in the multipart field "file"', 'file');
        data = new Uint8Array(await file.arrayBuffer());
        declared = file.type;
      } else {
        data = new Uint8Array(await c.req.arrayBuffer());
        declared = contentType.split(';')[0]!.trim();
      }
      if (data.byteLength === 0) throw badRequest('the file is empty', 'file');
      if (data.byteLength > deps.maxUploadBytes)
        throw new HttpError(413, `the file is larger than the ${limitMb} MB limit`, 'file');
      const format = sniffFormat(data);
      if (!format || !accepted.has(format.mime))
        throw new HttpError(415, `unsupported file type; accepted: ${[...accepted].join(', ')}`, 'file');
      const generic = declared === '' || declared === 'application/octet-stream';
      if (!generic && declared !== format.mime && !(declared === 'image/jpg' && format.mime === 'image/jpeg'))
        throw new HttpError(
          415,
          `the file says it is ${declared} but its contents are ${format.mime}`,
          'file',
        );
      const partyId = c.get('partyId');
      const used = await partyUploadBytes(deps.uploadsDir, partyId);
      if (used + data.byteLength > deps.partyUploadQuota)
        throw new HttpError(
          413,
          `the party's uploads would exceed its ${(deps.partyUploadQuota / (1024 * 1024)).toFixed(0)} MB quota; delete unused scenes or parties first`,
          'file',
        );
      const name = await storeUpload(deps.uploadsDir, data, format, partyTag(partyId));
      return c.json({ url: `/uploads/${name}`, type: format.mime, size: data.byteLength }, 201);
    },
  );
  return app;
}

/**
 * `GET /uploads/<name>`: only names the server generated; anything else
 * (other folders, dot files, encoded slashes) is a 404 before the disk is touched.
 */
export function serveUploads(deps: AppDeps): Hono {
  const app = new Hono();
  app.get(
    '/:name',
    async (c, next) => {
      const name = c.req.param('name');
      if (!UPLOAD_NAME.test(name)) throw new HttpError(404, 'no such upload');
      c.header('X-Content-Type-Options', 'nosniff');
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
      c.header('Content-Type', mimeOfUploadName(name) ?? 'application/octet-stream');
      // Opened directly, an upload downloads instead of rendering as a page on our origin.
      c.header('Content-Disposition', `attachment; filename="${name}"`);
      await next();
    },
    serveStatic({
      root: deps.uploadsDir,
      rewriteRequestPath: (path) => path.slice(path.lastIndexOf('/')),
      onNotFound: () => {
        throw new HttpError(404, 'no such upload');
      },
    }),
  );
  return app;
}
