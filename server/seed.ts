import { count, eq } from 'drizzle-orm';
import { insertScene, newId, replaceCollection, type Database } from '../engine/db';
import { collectionConverters, convertStagePropsToSceneData } from '../engine/generated/converters';
import { defaultStageProps, type StageProps } from '../engine/generated/stageProps';
import { gameSession, party, type PartyRow } from '../engine/generated/tables';
import type { Registry } from '../engine/schema';
import { demoContent, type DemoContent } from '../schemas/demo.content';
import { drawMapPng } from './png';
import { storeUpload, sniffFormat } from './uploads';
import { deletePartyUploads, partyTag } from './partyUploads';

const IMAGE_REF = /^@image:(.+)$/;

/** Why seeding content failed: names the scene and property. */
export class SeedError extends Error {}

type Members = Record<string, Record<string, unknown>>;

/**
 * Builds a scene's StageProps from demo content: defaults, then each value
 * set at its path after the registry validated it. Collection members start
 * from their properties' defaults.
 */
export function demoSceneProps(
  registry: Registry,
  scene: DemoContent['scenes'][number],
  images: ReadonlyMap<string, string>,
): StageProps {
  const props = defaultStageProps();
  const bag = props as unknown as Record<string, Record<string, unknown>>;
  const resolve = (v: unknown) => {
    const m = typeof v === 'string' ? IMAGE_REF.exec(v) : null;
    if (!m) return v;
    const url = images.get(m[1]!);
    if (!url) throw new SeedError(`${scene.name}: unknown demo image "${m[1]}"`);
    return url;
  };
  for (const [dotted, raw] of Object.entries(scene.props)) {
    const path = dotted.split('.');
    const checked = registry.validate(path, resolve(raw));
    if (!checked.ok) throw new SeedError(`${scene.name}: ${checked.reason}`);
    const group = bag[path[0]!];
    if (!group) throw new SeedError(`${scene.name}: ${dotted}: no such group`);
    group[path[1]!] = checked.value;
  }
  for (const [key, members] of Object.entries(scene.collections)) {
    const plugin = registry.collection(key);
    if (!plugin) throw new SeedError(`${scene.name}: unknown collection "${key}"`);
    const byId = (bag[key] ?? {}) as Members;
    for (const values of members) {
      const id = newId();
      const member: Record<string, unknown> = Object.fromEntries(
        plugin.props.map((p) => [p.key, p.decl.default]),
      );
      for (const [propKey, raw] of Object.entries(values)) {
        const checked = registry.validate([key, id, propKey], resolve(raw));
        if (!checked.ok) throw new SeedError(`${scene.name}: ${checked.reason}`);
        member[propKey] = checked.value;
      }
      byId[id] = member;
    }
    bag[key] = byId;
  }
  return props;
}

/** The outcome of seeding: the party created, or why nothing was done. */
export type SeedResult = { seeded: true; party: PartyRow } | { seeded: false; reason: string };

/**
 * Seeds the demo party (one game session, its scenes with generated map
 * images, members including a GM-only one) — only into an empty database, so
 * a user's data is never touched.
 */
export async function seedDemo(
  database: Database,
  registry: Registry,
  options: { uploadsDir: string; content?: DemoContent },
): Promise<SeedResult> {
  const content = options.content ?? demoContent;
  const [{ n } = { n: 0 }] = await database.db.select({ n: count() }).from(party);
  if (n > 0) return { seeded: false, reason: 'the database already has parties' };

  // The images are the demo party's files (tagged with its id): deleting the party deletes them.
  const partyId = newId();
  const images = new Map<string, string>();
  for (const [name, pic] of Object.entries(content.images)) {
    const png = drawMapPng(pic);
    const stored = await storeUpload(options.uploadsDir, png, sniffFormat(png)!, partyTag(partyId));
    images.set(name, `/uploads/${stored}`);
  }
  const scenes = content.scenes.map((s) => ({ name: s.name, props: demoSceneProps(registry, s, images) }));

  const now = Date.now();
  const created = await database.write(async (tx) => {
    // Checked again inside the transaction: two processes starting at once must not both seed.
    const [{ n: again } = { n: 0 }] = await tx.select({ n: count() }).from(party);
    if (again > 0) return undefined;
    const sessionId = newId();
    await tx.insert(party).values({ id: partyId, name: content.party, createdAt: now });
    await tx
      .insert(gameSession)
      .values({ id: sessionId, partyId, name: content.gameSession, createdAt: now });
    const sceneIds: string[] = [];
    for (const [i, s] of scenes.entries()) {
      const id = newId();
      sceneIds.push(id);
      await insertScene(
        registry,
        tx,
        { id, gameSessionId: sessionId, name: s.name, sortOrder: i, lastUpdated: now },
        convertStagePropsToSceneData(s.props),
      );
      for (const [key, convert] of Object.entries(collectionConverters)) {
        // Members keep the content's order: creation time is what lists sort by.
        const rows = convert(s.props, id).map((row, j) => ({ ...row, createdAt: now + j }));
        await replaceCollection(tx, key, id, rows);
      }
    }
    const [row] = await tx
      .update(party)
      .set({ activeGameSessionId: sessionId, activeSceneId: sceneIds[0] ?? null })
      .where(eq(party.id, partyId))
      .returning();
    return row!;
  });
  if (created) return { seeded: true, party: created };
  await deletePartyUploads(options.uploadsDir, partyId);
  return { seeded: false, reason: 'another process seeded first' };
}
