import { describe, expect, it } from 'vitest';
import { definePluginRuntime } from '../../engine/plugin';
import { registry } from '../../engine/generated/schemas';
import { assetPropFor, dropTargets, uploadAccept } from './gm-editor-keys';

/** A scene plugin's asset property, found in the registry (tests may name plugins; the editor may not). */
const mapUrl = registry.byPath(['map', 'url'])!;

describe('a file dropped on the viewport', () => {
  it('goes to the asset property a plugin declared as its drop target, for the types it accepts', () => {
    expect(assetPropFor('image/png')).toBe(mapUrl);
    expect(assetPropFor('video/webm')).toBe(mapUrl);
    expect(assetPropFor('application/pdf')).toBeUndefined();
    expect(uploadAccept().split(',')).toContain('image/png');
  });

  it('goes to the highest-priority target that takes its type, whatever the registry order', () => {
    const low = definePluginRuntime({
      name: 'map',
      drop: [{ prop: 'url', accept: ['image/png'], priority: 1 }],
    });
    const high = definePluginRuntime({
      name: 'map',
      drop: [{ prop: 'url', accept: ['image/png', 'image/gif'], priority: 5 }],
    });
    const targets = dropTargets([low, high], registry);
    expect(targets.map((t) => t.priority)).toEqual([5, 1]);
  });

  it('ignores targets that are not asset properties of a scene plugin', () => {
    const bogus = definePluginRuntime({ name: 'marker', drop: [{ prop: 'image' }] });
    const notAsset = definePluginRuntime({ name: 'map', drop: [{ prop: 'zoom' }] });
    expect(dropTargets([bogus, notAsset], registry)).toEqual([]);
  });
});
