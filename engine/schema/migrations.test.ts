import { describe, expect, it } from 'vitest';
import { definePlugin, p } from './dsl';
import { keysAtVersion, schemaVersion, upgradeRecord, type MigrationStep } from './migrations';
import { createRegistry, SchemaError } from './registry';

// A made-up plugin: test data, not a product schema.
function widget(migrations: readonly MigrationStep[]) {
  return definePlugin({
    name: 'widget',
    attachTo: 'scene',
    label: 'Widget',
    throttle: 'control',
    props: {
      thickness: p.number(1, { min: 0, max: 100 }),
      width: p.number(10),
      height: p.number(10),
      percent: p.integer(50, { min: 0, max: 100 }),
    },
    migrations,
  });
}

const steps: MigrationStep[] = [
  { version: 1, rename: { lineWidth: 'thickness' } },
  {
    version: 2,
    up: (v) => (typeof v.fraction === 'number' ? { ...v, percent: Math.round(v.fraction * 100) } : v),
  },
  {
    version: 3,
    drop: ['fraction', 'size'],
    up: (v) => (typeof v.size === 'number' ? { ...v, width: v.size, height: v.size } : v),
  },
];

describe('declared migration steps', () => {
  it('upgrade a record through renames, transforms, splits and drops, in order', () => {
    const schema = widget(steps);
    expect(schemaVersion(schema)).toBe(3);
    expect(upgradeRecord(schema, 0, { lineWidth: 2, fraction: 0.25, size: 7 })).toEqual({
      thickness: 2,
      percent: 25,
      width: 7,
      height: 7,
    });
    // A record already at version 1 only runs the later steps.
    expect(upgradeRecord(schema, 1, { thickness: 4, size: 3 })).toEqual({
      thickness: 4,
      width: 3,
      height: 3,
    });
    // Absent keys stay absent (in a room, an absent key is the default).
    expect(upgradeRecord(schema, 0, {})).toEqual({});
    expect(keysAtVersion(schema, 0).sort()).toEqual([
      'fraction',
      'height',
      'lineWidth',
      'percent',
      'size',
      'width',
    ]);
  });

  it('are validated by the registry, with errors naming the file and the step', () => {
    const load = (m: readonly MigrationStep[]) => () =>
      createRegistry([{ file: 'schemas/widget.schema.ts', plugin: widget(m) }]);
    expect(load(steps)).not.toThrow();
    const cases: [readonly MigrationStep[], RegExp][] = [
      [
        [
          { version: 2, up: (v) => v },
          { version: 1, up: (v) => v },
        ],
        /versions must be integers increasing/,
      ],
      [[{ version: 0, up: (v) => v }], /versions must be integers increasing/],
      [
        [{ version: 1, rename: { lineWidth: 'nope' } }],
        /renames "lineWidth" to "nope", which is not a property/,
      ],
      [[{ version: 1, rename: { width: 'thickness' } }], /renames "width", which still exists/],
      [[{ version: 1, drop: ['width'] }], /drops "width", which is still a property/],
      [[{ version: 1 }], /a step must rename, drop or up/],
    ];
    for (const [m, message] of cases) {
      let error: unknown;
      try {
        load(m)();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SchemaError);
      expect((error as SchemaError).message).toMatch(/^schemas\/widget\.schema\.ts: widget\.migrations/);
      expect((error as SchemaError).message).toMatch(message);
    }
  });
});
