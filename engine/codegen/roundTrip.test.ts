import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSceneProps, type CollectionRows } from '../generated/buildSceneProps';
import { collectionConverters, convertStagePropsToSceneData } from '../generated/converters';
import { registry } from '../generated/schemas';
import { defaultStageProps, type StageProps } from '../generated/stageProps';
import type { SceneRow } from '../generated/tables';
import { invalidValue, stageProps } from '../../tests/support/arbitraries';

/** What the database would hand back for these props: the scene row and every collection's rows. */
function toRows(props: StageProps): { scene: SceneRow; collections: CollectionRows } {
  const scene: SceneRow = {
    id: 's1',
    gameSessionId: 'g1',
    name: 'Scene',
    sortOrder: 0,
    lastUpdated: 0,
    thumbnailUrl: '',
    ...convertStagePropsToSceneData(props),
  };
  const collections = Object.fromEntries(
    Object.entries(collectionConverters).map(([key, convert]) => [
      key,
      convert(props, 's1').map((row) => ({ createdAt: 0, ...row })),
    ]),
  ) as unknown as CollectionRows;
  return { scene, collections };
}

describe('StageProps ⇄ DB rows', () => {
  it('any valid StageProps survives conversion to rows and back (GM view)', () => {
    fc.assert(
      fc.property(stageProps(registry), (props) => {
        const { scene, collections } = toRows(props);
        expect(buildSceneProps(scene, collections, 'gm')).toEqual(props);
      }),
      { numRuns: 200 },
    );
  });

  it('the player view has no GM-only values and no GM-only members', () => {
    fc.assert(
      fc.property(stageProps(registry), (props) => {
        const { scene, collections } = toRows(props);
        const player = buildSceneProps(scene, collections, 'player') as unknown as Record<string, unknown>;
        const defaults = defaultStageProps() as unknown as Record<string, Record<string, unknown>>;
        for (const plugin of registry.plugins) {
          const group = player[plugin.key] as Record<string, unknown>;
          if (plugin.attachTo === 'scene') {
            for (const prop of plugin.props.filter((p) => p.audience === 'gm'))
              expect(group[prop.key]).toEqual(defaults[plugin.key]![prop.key]);
            continue;
          }
          for (const member of Object.values(group) as Record<string, unknown>[]) {
            for (const [key, values] of plugin.gmOnlyWhen) expect(values).not.toContain(member[key]);
            for (const prop of plugin.props.filter((p) => p.audience === 'gm'))
              expect(member[prop.key]).toEqual(prop.decl.default);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('validate refuses an invalid value for every property', () => {
    for (const prop of registry.props) {
      const path =
        prop.plugin.attachTo === 'scene' ? [prop.plugin.key, prop.key] : [prop.plugin.key, 'm1', prop.key];
      fc.assert(
        fc.property(invalidValue(prop.decl), (value) => {
          expect(registry.validate(path, value).ok).toBe(false);
        }),
        { numRuns: 30 },
      );
    }
  });
});
