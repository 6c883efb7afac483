import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { registry } from '../generated/schemas';
import { deleteMember, getOrCreateSceneMap, readSceneProps, setPath } from './docLayout';
import { PartyDataManager } from './PartyDataManager';
import { valueArb } from './testing/arbitraries';

const syncedScene = registry.props.filter((p) => p.plugin.attachTo === 'scene' && !p.localOnly);
const collection = registry.collections[0]!;

type Op =
  | { kind: 'set'; prop: number; value: unknown }
  | { kind: 'member'; id: string; prop: number; value: unknown }
  | { kind: 'delete'; id: string };

const memberIds = fc.constantFrom('m1', 'm2', 'm3');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc
    .integer({ min: 0, max: syncedScene.length - 1 })
    .chain((prop) =>
      valueArb(syncedScene[prop]!.decl).map((value) => ({ kind: 'set' as const, prop, value })),
    ),
  fc
    .tuple(memberIds, fc.integer({ min: 0, max: collection.props.length - 1 }))
    .chain(([id, prop]) =>
      valueArb(collection.props[prop]!.decl).map((value) => ({ kind: 'member' as const, id, prop, value })),
    ),
  memberIds.map((id) => ({ kind: 'delete' as const, id })),
);

describe('incremental snapshots', () => {
  for (const view of ['gm', 'player'] as const)
    it(`re-reading only touched parts always equals a full read (${view} view)`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 }),
          (batches) => {
            const source = new Y.Doc();
            const scene = getOrCreateSceneMap(source, 's1', registry, { name: 'S' });
            const m = new PartyDataManager('p', 'u', 'g', 'localhost:1', async () => 'no-ticket', {
              connect: false,
              storage: null,
              view,
            });
            try {
              source.on('update', (u: Uint8Array) => Y.applyUpdate(m.doc, u));
              Y.applyUpdate(m.doc, Y.encodeStateAsUpdate(source));
              let previous = m.getSceneData('s1')!;
              for (const batch of batches) {
                source.transact(() => {
                  for (const o of batch) {
                    if (o.kind === 'set') {
                      const p = syncedScene[o.prop]!;
                      setPath(scene, [p.plugin.key, p.key], o.value, registry);
                    } else if (o.kind === 'member') {
                      setPath(
                        scene,
                        [collection.key, o.id, collection.props[o.prop]!.key],
                        o.value,
                        registry,
                      );
                    } else deleteMember(scene, collection.key, o.id);
                  }
                });
                const snapshot = m.getSceneData('s1')!;
                const full = readSceneProps(
                  m.doc.getMap<Y.Map<unknown>>('scenes').get('s1')!,
                  registry,
                  view,
                );
                expect(snapshot).toEqual(full);
                // Whatever did not change keeps its identity.
                const prevTree = previous as unknown as Record<string, unknown>;
                const nextTree = snapshot as unknown as Record<string, unknown>;
                for (const key of Object.keys(nextTree))
                  if (JSON.stringify(prevTree[key]) === JSON.stringify(nextTree[key]))
                    expect(nextTree[key]).toBe(prevTree[key]);
                previous = snapshot;
              }
            } finally {
              m.destroy();
            }
          },
        ),
        { numRuns: 60 },
      );
    });
});
