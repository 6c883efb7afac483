import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { authorize } from '../auth';
import type { AppDeps } from '../context';
import { badRequest, HttpError } from '../errors';
import { findParty, findSession } from '../lookup';
import { rateLimit } from '../rateLimit';
import { flushRoom } from '../roomControl';
import { exportSession } from '../transfer/exportSession';
import { importSession } from '../transfer/importSession';
import { parseSessionFile } from '../transfer/parseImport';
import { acceptedMimeTypes } from './uploads';

/** JSON text, base64 and the scenes around the files: a session file is at most this much bigger than its files. */
const FILE_OVERHEAD_BYTES = 64 * 1024 * 1024;

/**
 * `GET /api/sessions/:id/export` and `POST /api/parties/:id/import`: a game
 * session as one JSON file (server/transfer/format.ts), and back as a new
 * session of any party whose GM imports it.
 */
export function sessionTransferRoutes(deps: AppDeps): { exports: Hono; imports: Hono } {
  const exports = new Hono();
  const imports = new Hono();

  exports.get('/:id/export', async (c) => {
    const s = await findSession(deps.database.db, c.req.param('id'));
    await authorize(c, deps, s.partyId, ['gm']);
    const warnings: string[] = [];
    // The room writes live scenes on a timer; what the GMs see now must be in the file.
    if (deps.partykitUrl) {
      const flushed = await flushRoom(deps, s.id);
      if (!flushed.ok) warnings.push(`the live room did not save before the export: ${flushed.reason}`);
    }
    const file = await exportSession(deps, s, warnings);
    const safeName = s.name.replace(/[^A-Za-z0-9 _-]+/g, '').trim() || 'session';
    c.header('Content-Disposition', `attachment; filename="${safeName}.tablestage.json"`);
    return c.json(file);
  });

  // A whole session with its files is far over the API's JSON limit: this route has its own.
  const maxSize = Math.ceil((deps.partyUploadQuota * 4) / 3) + FILE_OVERHEAD_BYTES;
  imports.post(
    '/:id/import',
    rateLimit('uploads', deps.rateLimits.upload),
    async (c, next) => {
      const p = await findParty(deps.database.db, c.req.param('id'));
      await authorize(c, deps, p.id, ['gm']);
      await next();
    },
    bodyLimit({
      maxSize,
      onError: () => {
        throw new HttpError(413, 'the session file is larger than the party could hold');
      },
    }),
    async (c) => {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw badRequest('the body must be a session file (JSON)');
      }
      const plan = parseSessionFile(deps.registry, body, {
        maxUploadBytes: deps.maxUploadBytes,
        acceptedMimeTypes: acceptedMimeTypes(deps.registry),
      });
      const result = await importSession(deps, c.req.param('id'), plan);
      return c.json(result, 201);
    },
  );
  return { exports, imports };
}
