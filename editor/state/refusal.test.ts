import { describe, expect, it } from 'vitest';
import { registry } from '../../engine/generated/schemas';
import { defaultStageProps } from '../../engine/generated/stageProps';
import { describeRefusal } from './refusal';

/** A collection property with a minimum, and the collection's first text property (its name). */
const collection = registry.plugins.find(
  (p) =>
    p.attachTo === 'collection' &&
    p.props.some((q) => q.decl.kind === 'string') &&
    p.props.some((q) => 'min' in q.decl && typeof q.decl.min === 'number' && q.decl.kind !== 'point'),
)!;
const bounded = collection.props.find(
  (q) => 'min' in q.decl && typeof q.decl.min === 'number' && q.decl.kind !== 'point',
)!;
const nameProp = collection.props.find((q) => q.decl.kind === 'string')!;
const min = (bounded.decl as { min: number }).min;

function refusal(path: string[], value: unknown): string {
  const checked = registry.validate(path, value);
  if (checked.ok) throw new Error('expected a refusal');
  return checked.reason;
}

describe('describeRefusal', () => {
  it('names a member by its plugin label and its name, and says the bound in words: "Marker \'Ghoul\': size must be at least 4"', () => {
    const props = { ...defaultStageProps(), [collection.key]: { m1: { [nameProp.key]: 'Ghoul' } } };
    const path = [collection.key, 'm1', bounded.key];
    const text = describeRefusal(registry, props, path, refusal(path, min - 1));
    expect(text).toBe(`${collection.label} 'Ghoul': ${bounded.label.toLowerCase()} must be at least ${min}`);
    expect(text).not.toContain('m1');
    expect(text).not.toContain(collection.key + '.');
  });

  it('names an unnamed member by its plugin label alone', () => {
    const path = [collection.key, 'm1', bounded.key];
    const text = describeRefusal(registry, defaultStageProps(), path, refusal(path, min - 1));
    expect(text.startsWith(`${collection.label}: `)).toBe(true);
  });

  it('names a scene property by its plugin label and says "at most" for a maximum', () => {
    const prop = registry.props.find(
      (p) => p.plugin.attachTo === 'scene' && p.decl.kind === 'number' && p.decl.max !== undefined,
    )!;
    const max = (prop.decl as { max: number }).max;
    const path = [prop.plugin.key, prop.key];
    expect(describeRefusal(registry, defaultStageProps(), path, refusal(path, max + 1))).toMatch(
      new RegExp(`^${prop.plugin.label}: .+ must be at most ${max}$`),
    );
  });

  it('leaves a reason about an unknown path as it is', () => {
    expect(describeRefusal(registry, undefined, ['nope', 'x'], 'nope.x: no such property')).toBe(
      'nope.x: no such property',
    );
  });
});
