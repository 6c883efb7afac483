import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkValue, KINDS } from '../schema';
import { registry, schemaSources } from '../generated/schemas';

/** Discovers every schema file by itself and checks each property has what the rest of the system needs. */
describe('every schema file', () => {
  it('is in the registry', () => {
    const onDisk = readdirSync(new URL('../../schemas', import.meta.url)).filter((f) =>
      f.endsWith('.schema.ts'),
    );
    expect(schemaSources.map((s) => s.file.replace('schemas/', '')).sort()).toEqual(onDisk.sort());
  });

  for (const prop of registry.props)
    it(`${prop.id} has a path, a column or local-only, a control and a valid default`, () => {
      expect(prop.yjsKey).toMatch(/^[a-z][A-Za-z0-9]*$/);
      if (prop.localOnly) expect(prop.columns).toEqual([]);
      else expect(prop.columns.length).toBeGreaterThan(0);
      expect(prop.control).toBeTruthy();
      expect(Object.keys(KINDS)).toContain(prop.decl.kind);
      expect(checkValue(prop.decl, prop.decl.default)).toEqual({ ok: true, value: prop.decl.default });
      expect(prop.label.length).toBeGreaterThan(0);
    });
});
