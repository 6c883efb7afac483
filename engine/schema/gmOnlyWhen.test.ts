import { describe, expect, it } from 'vitest';
import { createRegistry, definePlugin, p, type GmOnlyValue } from '.';
import { isGmOnlyMember } from '../sync/values';

const token = (gmOnlyWhen: Record<string, readonly GmOnlyValue[]>) =>
  definePlugin({
    name: 'token',
    attachTo: 'collection',
    label: 'Tokens',
    throttle: 'member',
    gmOnlyWhen,
    props: {
      hidden: p.boolean(false),
      layer: p.integer(0, { min: 0, max: 9 }),
      kind: p.enum(['pc', 'npc'], 'pc'),
    },
  });

describe('gmOnlyWhen with booleans, numbers and enum values', () => {
  it('hides members whose value matches exactly, absent keys read as the default', () => {
    const registry = createRegistry([
      { file: 't.ts', plugin: token({ hidden: [true], layer: [9], kind: ['npc'] }) },
    ]);
    const c = registry.collection('tokens')!;
    expect(isGmOnlyMember(c, { hidden: true })).toBe(true);
    expect(isGmOnlyMember(c, { hidden: false })).toBe(false);
    expect(isGmOnlyMember(c, { hidden: 'true' })).toBe(false);
    expect(isGmOnlyMember(c, { layer: 9 })).toBe(true);
    expect(isGmOnlyMember(c, { kind: 'npc' })).toBe(true);
    expect(isGmOnlyMember(c, {})).toBe(false);
    const byDefault = createRegistry([{ file: 't.ts', plugin: token({ hidden: [false] }) }]).collection(
      'tokens',
    )!;
    expect(isGmOnlyMember(byDefault, {})).toBe(true);
  });

  it('refuses a value of the wrong type or one the validator would change', () => {
    expect(() => createRegistry([{ file: 't.ts', plugin: token({ hidden: ['yes'] }) }])).toThrow(
      /t\.ts: token\.hidden: gmOnlyWhen value "yes"/,
    );
    expect(() => createRegistry([{ file: 't.ts', plugin: token({ layer: [10] }) }])).toThrow(
      /gmOnlyWhen value 10/,
    );
  });
});
