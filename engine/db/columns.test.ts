import { describe, expect, it } from 'vitest';
import { registry } from '../generated/schemas';
import { checkPropertyColumns, defaultColumns, propertyColumns } from './columns';

describe('registry-driven column checks', () => {
  it('knows every saved column of every table, and none of the local-only properties', () => {
    for (const plugin of registry.plugins) {
      const columns = propertyColumns(registry, plugin.table);
      for (const prop of plugin.props) {
        if (prop.localOnly) expect(prop.columns).toEqual([]);
        for (const c of prop.columns) expect(columns.get(c.field)?.prop).toBe(prop);
      }
    }
  });

  it('defaults pass their own checks', () => {
    for (const table of ['scene', ...registry.collections.map((c) => c.table)]) {
      const checked = checkPropertyColumns(registry, table, defaultColumns(registry, table), table, {
        memberId: 'm1',
      });
      expect(checked.ok, table).toBe(true);
    }
  });

  it('checks each coordinate of a point against the point’s range', () => {
    const point = [...propertyColumns(registry, 'scene').values()].find(
      (pc) => pc.column.part && pc.prop.decl.kind === 'point' && pc.prop.decl.max !== undefined,
    );
    if (!point || point.prop.decl.kind !== 'point') return;
    const max = point.prop.decl.max!;
    expect(checkPropertyColumns(registry, 'scene', { [point.column.field]: max }, 'scene')).toMatchObject({
      ok: true,
    });
    expect(checkPropertyColumns(registry, 'scene', { [point.column.field]: max + 1 }, 'scene')).toMatchObject(
      {
        ok: false,
        field: `scene.${point.column.field}`,
      },
    );
  });

  it('refuses unknown fields and non-objects, naming the field', () => {
    expect(checkPropertyColumns(registry, 'scene', { bogus: 1 }, 'scene')).toMatchObject({
      ok: false,
      field: 'scene.bogus',
    });
    expect(checkPropertyColumns(registry, 'scene', [1], 'scene')).toMatchObject({
      ok: false,
      field: 'scene',
    });
  });
});
