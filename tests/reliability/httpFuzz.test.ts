/**
 * HTTP API fuzz against the real app server and libSQL file: seeded
 * requests to every route, each with at least one thing wrong — an unknown
 * or path-trick id, a missing / forged / player / other-party / malformed
 * token, or a body of the wrong type, with unknown fields, not JSON, or too
 * big; uploads of bytes that are no image and names that try to leave the
 * uploads folder. Every answer must be a 4xx with a JSON error, and
 * afterwards the database (every row of every table) and the uploads folder
 * must be exactly as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { signToken } from '../../engine/auth';
import { registry } from '../../engine/generated';
import { createParty, type TestParty } from '../integration/partykit/support';
import { invalidValue } from '../support/arbitraries';
import { LONG, withSeed, type Rng } from './support/seed';
import { dbDigest, filesIn, startReliabilityApp, type ReliabilityApp } from './support/stack';
import { INTERNAL_SECRET } from '../integration/partykit/support';

let app: ReliabilityApp;

beforeAll(async () => {
  app = await startReliabilityApp();
});

afterAll(async () => {
  await app?.close();
});

type Auth = 'none' | 'gm' | 'any' | 'internal';
type Bad = 'id' | 'token' | 'body';

interface Route {
  readonly method: string;
  /** `:party`, `:session`, `:scene` are filled with real ids unless the id is the bad part. */
  readonly path: string;
  readonly auth: Auth;
  /** Does the route read a JSON body? */
  readonly body: boolean;
  /** A valid body, to break one field of (when `body`). */
  readonly valid?: (p: TestParty) => Record<string, unknown>;
  /** Writes when given a valid body and an unknown-but-well-formed id (creates): only trick ids count as bad. */
  readonly createsOnUnknownId?: boolean;
}

const name = () => ({ name: 'A fine name' });
const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/api/parties', auth: 'none', body: true, valid: name },
  { method: 'GET', path: '/api/parties/:party', auth: 'any', body: false },
  { method: 'PATCH', path: '/api/parties/:party', auth: 'gm', body: true, valid: name },
  { method: 'DELETE', path: '/api/parties/:party', auth: 'gm', body: false },
  { method: 'GET', path: '/api/parties/:party/links', auth: 'gm', body: false },
  { method: 'GET', path: '/api/parties/:party/sessions', auth: 'any', body: false },
  { method: 'POST', path: '/api/parties/:party/sessions', auth: 'gm', body: true, valid: name },
  { method: 'GET', path: '/api/sessions/:session', auth: 'any', body: false },
  { method: 'PATCH', path: '/api/sessions/:session', auth: 'gm', body: true, valid: name },
  { method: 'DELETE', path: '/api/sessions/:session', auth: 'gm', body: false },
  { method: 'GET', path: '/api/sessions/:session/scenes', auth: 'any', body: false },
  { method: 'POST', path: '/api/sessions/:session/scenes', auth: 'gm', body: true, valid: name },
  {
    method: 'PUT',
    path: '/api/sessions/:session/scenes/order',
    auth: 'gm',
    body: true,
    valid: (p) => ({ sceneIds: [p.sceneId] }),
  },
  { method: 'GET', path: '/api/sessions/:session/load', auth: 'any', body: false },
  { method: 'GET', path: '/api/sessions/:session/timestamps', auth: 'any', body: false },
  { method: 'PATCH', path: '/api/scenes/:scene', auth: 'gm', body: true, valid: name },
  { method: 'POST', path: '/api/scenes/:scene/duplicate', auth: 'gm', body: true, valid: name },
  { method: 'DELETE', path: '/api/scenes/:scene', auth: 'gm', body: false },
  { method: 'GET', path: '/internal/sessions/:session', auth: 'internal', body: false },
  {
    method: 'PUT',
    path: '/internal/scenes/:scene',
    auth: 'internal',
    body: true,
    createsOnUnknownId: true,
    valid: (p) => ({ gameSessionId: p.gameSessionId, name: 'Saved', savedAt: Date.now() + 1000 }),
  },
  { method: 'DELETE', path: '/internal/scenes/:scene', auth: 'internal', body: false },
  { method: 'GET', path: '/internal/parties/:party', auth: 'internal', body: false },
  {
    method: 'PUT',
    path: '/internal/parties/:party',
    auth: 'internal',
    body: true,
    createsOnUnknownId: true,
    valid: () => ({ paused: true }),
  },
];

const TRICK_IDS = [
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e',
  "x'%20OR%201=1--",
  'a'.repeat(3000),
  '%00',
  'has%20space',
  '%F0%9F%8E%B2',
  '-leading-dash',
  'x.y',
];

/** Scene columns with a kind whose invalid values are plain JSON (points are split into columns). */
const sceneColumns = registry.scenePlugins.flatMap((plugin) =>
  plugin.props
    .filter((p) => !p.localOnly && p.columns.length === 1 && p.decl.kind !== 'point')
    .map((prop) => ({ prop, field: prop.columns[0]!.field })),
);

function badBody(rng: Rng, route: Route, party: TestParty): { body: string; type: string; what: string } {
  const valid = route.valid?.(party) ?? {};
  const json = (v: unknown) => ({ body: JSON.stringify(v), type: 'application/json' });
  /** A value of another JSON type than `like` (or, for text, an empty or overlong one). */
  const wrongType = (like?: unknown) =>
    rng.pick<unknown>(
      [5, null, [], {}, true, '', '   ', 'x'.repeat(5000)].filter(
        (v) =>
          like === undefined ||
          typeof v !== typeof like ||
          (typeof v === 'string' && (v.trim() === '' || v.length > 1000)),
      ),
    );
  switch (rng.int(0, route.path.startsWith('/internal/scenes') ? 6 : 5)) {
    case 0:
      return { ...json(rng.pick<unknown>([[], null, 42, 'text', [valid]])), what: 'not an object' };
    case 1:
      return {
        body: rng.pick(['{', '{"name": }', 'name=x', '\u0000\u0001']),
        type: 'application/json',
        what: 'not JSON',
      };
    case 2:
      return {
        ...json({ ...valid, [rng.pick(['extra', '__proto__x', 'id', 'createdAt'])]: 1 }),
        what: 'an unknown field',
      };
    case 3: {
      const keys = Object.keys(valid);
      if (!keys.length) return { ...json({ bogus: wrongType() }), what: 'an unknown field' };
      const key = rng.pick(keys);
      return { ...json({ ...valid, [key]: wrongType(valid[key]) }), what: `${key} of the wrong type` };
    }
    case 4:
      return {
        body: JSON.stringify({ ...valid, name: 'n'.repeat(1_500_000) }),
        type: 'application/json',
        what: 'a huge body',
      };
    case 5:
      return { body: '', type: rng.pick(['application/json', 'text/plain']), what: 'an empty body' };
    default: {
      // A registry-driven bad column value in an otherwise valid save.
      const { prop, field } = rng.pick(sceneColumns);
      const [bad] = fc.sample(invalidValue(prop.decl), { seed: rng.fork(), numRuns: 1 });
      if (bad === undefined)
        return { ...json({ ...valid, scene: { [field]: null } }), what: `${field} = null` };
      return { ...json({ ...valid, scene: { [field]: bad } }), what: `${field} = ${JSON.stringify(bad)}` };
    }
  }
}

describe('HTTP API fuzz', () => {
  it('requests with something wrong answer 4xx and write nothing', () =>
    withSeed('http-fuzz', async (rng) => {
      const party = await createParty(app, 'Fuzz party');
      const other = await createParty(app, 'Other fuzz party');
      const forged = await signToken('not-the-secret-0123456789abcdefghij', {
        role: 'gm',
        partyId: party.partyId,
      });
      const before = await dbDigest(app.database);
      const uploadsBefore = filesIn(app.uploadsDir);
      const failures: string[] = [];

      for (let i = 0; i < (LONG ? 3000 : 400); i++) {
        const route = rng.pick(ROUTES);
        const options: Bad[] = [];
        if (route.path.includes(':')) options.push('id');
        if (route.auth !== 'none') options.push('token');
        if (route.body) options.push('body');
        const bad = rng.pick(options);
        let what: string = bad;
        let path = route.path
          .replace(':party', party.partyId)
          .replace(':session', party.gameSessionId)
          .replace(':scene', party.sceneId);
        if (bad === 'id') {
          const unknown =
            route.createsOnUnknownId || rng.chance(0.5) ? rng.pick(TRICK_IDS) : `${rng.int(1e9, 9e9)}abcdef`;
          const param = rng.pick(['party', 'session', 'scene'].filter((p) => route.path.includes(`:${p}`)));
          const real = { party: party.partyId, session: party.gameSessionId, scene: party.sceneId }[param]!;
          path = path.replace(real, unknown);
          what = `id ${unknown.slice(0, 40)}`;
        }
        const headers: Record<string, string> = {};
        const good = route.auth === 'internal' ? INTERNAL_SECRET : party.gm;
        if (bad === 'token') {
          const choice = rng.pick(
            route.auth === 'internal'
              ? [undefined, party.gm, 'wrong-internal-secret', '']
              : [undefined, forged, other.gm, 'garbage', ...(route.auth === 'gm' ? [party.player] : [])],
          );
          what = `token ${choice === undefined ? 'missing' : choice === party.player ? 'player' : choice === other.gm ? 'other party' : choice.slice(0, 20)}`;
          if (choice !== undefined)
            headers.authorization = rng.chance(0.1) ? `Basic ${choice}` : `Bearer ${choice}`;
        } else if (route.auth !== 'none') headers.authorization = `Bearer ${good}`;
        let body: string | undefined;
        if (route.body) {
          if (bad === 'body') {
            const b = badBody(rng, route, party);
            body = b.body;
            headers['content-type'] = b.type;
            what = `body: ${b.what}`;
          } else {
            body = JSON.stringify(route.valid?.(party) ?? {});
            headers['content-type'] = 'application/json';
          }
        }
        const res = await fetch(app.url + path, { method: route.method, headers, body });
        const text = await res.text();
        if (res.status < 400 || res.status >= 500)
          failures.push(`${route.method} ${route.path} with ${what}: ${res.status} ${text.slice(0, 120)}`);
        else if (!/"error"/.test(text))
          failures.push(`${route.method} ${route.path} with ${what}: ${res.status} without a JSON error`);
      }

      // Uploads: not an image, a lying type, an empty file, path-trick names, no token, a player token.
      const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      for (let i = 0; i < 40; i++) {
        const bad = rng.pick(['token', 'bytes', 'field'] as const);
        const form = new FormData();
        const image = Uint8Array.from([...png, ...rng.bytes(20)]);
        const bytes =
          bad === 'bytes'
            ? rng.pick([Uint8Array.from([0x78, ...rng.bytes(rng.int(0, 2000))]), new Uint8Array(0), image])
            : image;
        // With image bytes the bad part is the declared type, which disagrees with the contents.
        const type = bad === 'bytes' && bytes === image ? 'text/html' : rng.pick(['image/png', '']);
        const filename = rng.pick([
          '../../test.db',
          '..\\..\\evil.png',
          '/etc/passwd',
          'x/../../y.png',
          '.env',
          'ok.png',
        ]);
        form.set(
          bad === 'field' ? rng.pick(['other', 'files', 'File']) : 'file',
          new Blob([bytes], { type }),
          filename,
        );
        const token = bad === 'token' ? rng.pick([party.player, undefined, forged, other.player]) : party.gm;
        const res = await fetch(`${app.url}/api/uploads`, {
          method: 'POST',
          headers: token ? { authorization: `Bearer ${token}` } : {},
          body: form,
        });
        const text = await res.text();
        if (res.status < 400 || res.status >= 500)
          failures.push(`upload (${bad}) ${filename}: ${res.status} ${text.slice(0, 120)}`);
      }
      for (const trick of [
        '..%2Ftest.db',
        '%2e%2e%2ftest.db',
        '.env',
        'secrets.json',
        'aaaaaaaaaaaa.png',
        'x.png%00.txt',
        '..%5Ctest.db',
      ]) {
        const res = await fetch(`${app.url}/uploads/${trick}`);
        await res.arrayBuffer();
        if (res.status !== 404) failures.push(`GET /uploads/${trick}: ${res.status}`);
      }

      expect(failures).toEqual([]);
      expect(await dbDigest(app.database), 'the database changed').toBe(before);
      expect(filesIn(app.uploadsDir), 'the uploads folder changed').toEqual(uploadsBefore);
      // Control: a valid request does change the digest, so the comparison above can see writes.
      const ok = await fetch(`${app.url}/api/parties/${party.partyId}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${party.gm}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Renamed by the control request' }),
      });
      expect(ok.status).toBe(200);
      expect(await dbDigest(app.database)).not.toBe(before);
    }));
});
