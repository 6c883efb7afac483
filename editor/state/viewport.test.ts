import { describe, expect, it } from 'vitest';
import { registry } from '../../engine/generated/schemas';
import { defaultStageProps } from '../../engine/generated/stageProps';
import { viewportEdits, viewportOf, VIEW_GROUP } from './viewport';

describe('viewport ↔ view plugin properties', () => {
  it('turns a transform into edits the registry accepts, wrapping and clamping out-of-range values', () => {
    const edits = viewportEdits({ offset: { x: 1e9, y: -3.14159 }, zoom: 1000, rotation: 270 });
    expect(edits.length).toBeGreaterThan(0);
    for (const [path, value] of edits) {
      expect(path[0]).toBe(VIEW_GROUP);
      expect(registry.validate(path, value).ok).toBe(true);
    }
    const byKey = Object.fromEntries(edits.map(([path, v]) => [path[1], v]));
    expect(byKey.rotation).toBe(-90);
  });

  it('reads the transform back from StageProps', () => {
    const props = defaultStageProps();
    const t = viewportOf(props);
    expect(t).toBeDefined();
    for (const [path, value] of viewportEdits(t!)) expect(value).toEqual(t![path[1] as keyof typeof t]);
  });
});
