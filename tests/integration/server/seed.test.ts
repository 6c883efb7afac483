import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../../engine/generated/schemas';
import { seedDemo } from '../../../server/seed';
import { sniffFormat } from '../../../server/uploads';
import { demoContent } from '../../../schemas/demo.content';
import { snapshot, startTestServer, type TestServer } from './harness';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('demo seed', () => {
  it('seeds one party, one game session, its scenes with generated PNG maps and members, one of them GM-only', async () => {
    const result = await seedDemo(server.database, registry, { uploadsDir: join(server.dir, 'uploads') });
    expect(result.seeded).toBe(true);
    if (!result.seeded) return;
    const counts = await server.counts();
    expect(counts).toMatchObject({ party: 1, gameSession: 1, scene: demoContent.scenes.length });
    expect(demoContent.scenes.length).toBeGreaterThanOrEqual(2);

    const session = await server.internal('GET', `/internal/sessions/${result.party.activeGameSessionId}`);
    const scenes = session.body.scenes as { name: string; props: Record<string, Record<string, unknown>> }[];
    expect(scenes.map((s) => s.name)).toEqual(demoContent.scenes.map((s) => s.name));

    // Every asset value that points at an upload is a real PNG the server serves.
    const assets = scenes.flatMap((s) =>
      registry.scenePlugins.flatMap((pl) =>
        pl.props.filter((p) => p.decl.kind === 'asset').map((p) => s.props[pl.key]![p.key] as string),
      ),
    );
    const uploads = assets.filter((u) => u.startsWith('/uploads/'));
    expect(uploads.length).toBeGreaterThanOrEqual(2);
    for (const url of uploads) {
      const res = await fetch(server.url + url);
      expect(res.status).toBe(200);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(sniffFormat(bytes)?.mime).toBe('image/png');
      expect(Buffer.from(bytes).equals(readFileSync(join(server.dir, url)))).toBe(true);
    }

    // At least one member is hidden from players by its collection's gmOnlyWhen rule.
    const hidden = scenes.flatMap((s) =>
      registry.collections.flatMap((c) =>
        Object.values(s.props[c.key] as Record<string, Record<string, unknown>>).filter((m) =>
          [...c.gmOnlyWhen].some(([k, values]) => values.includes(m[k] as string)),
        ),
      ),
    );
    expect(hidden.length).toBeGreaterThanOrEqual(1);
    const members = scenes.flatMap((s) => registry.collections.flatMap((c) => Object.keys(s.props[c.key]!)));
    expect(members.length).toBeGreaterThanOrEqual(3);
  });

  it('does nothing when the database already has a party', async () => {
    const before = await snapshot(server);
    const again = await seedDemo(server.database, registry, { uploadsDir: join(server.dir, 'uploads') });
    expect(again.seeded).toBe(false);
    expect(await snapshot(server)).toBe(before);
  });

  it('refuses demo content that fails the registry, naming the scene and property', async () => {
    const other = await startTestServer();
    try {
      const [scene] = demoContent.scenes;
      const plugin = registry.scenePlugins.find((p) =>
        p.props.some((x) => x.decl.kind === 'number' && x.decl.max !== undefined),
      )!;
      const prop = plugin.props.find((x) => x.decl.kind === 'number' && x.decl.max !== undefined)!;
      const bad = { ...demoContent, scenes: [{ ...scene!, props: { [`${plugin.key}.${prop.key}`]: 1e12 } }] };
      await expect(
        seedDemo(other.database, registry, { uploadsDir: join(other.dir, 'uploads'), content: bad }),
      ).rejects.toThrow(new RegExp(`${scene!.name}: ${plugin.key}\\.${prop.key}`));
      expect((await other.counts()).party).toBe(0);
    } finally {
      await other.close();
    }
  });
});
