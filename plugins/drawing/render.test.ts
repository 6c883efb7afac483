import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import { describe, expect, it } from 'vitest';
import { registry } from '../../engine/generated/schemas';
import { defaultDrawingProps, defaultStageProps, type DrawingProps } from '../../engine/generated/stageProps';
import { createNullStageRenderer } from '../../engine/render/nullRenderer';
import { editorPlugins } from '../../editor/generated/plugins';
import { encodePoints } from './encoding';
import { hitsStroke } from './geometry';

const stroke = (over: Partial<DrawingProps>): DrawingProps => ({
  ...structuredClone(defaultDrawingProps),
  ...over,
});
const line = encodePoints([
  { x: 10, y: 10 },
  { x: 110, y: 10 },
]);

function stage(view: 'gm' | 'player', strokes: Record<string, DrawingProps>) {
  const r = createNullStageRenderer({ view, plugins: editorPlugins, registry });
  const props = defaultStageProps();
  props.strokes = strokes;
  r.setProps(props);
  r.renderNow();
  const triangles = r.scene.meshes
    .filter((m): m is Mesh => m.name === 'strokes')
    .reduce((n, m) => n + m.getTotalIndices() / 3, 0);
  return { r, triangles };
}

describe('drawing renderer', () => {
  it('draws players-layer strokes for players and leaves GM-layer strokes out', () => {
    const strokes = {
      a: stroke({ kind: 'line', points: line }),
      b: stroke({ kind: 'rect', points: line, layer: 'gm' }),
    };
    const gm = stage('gm', strokes).triangles;
    const player = stage('player', strokes).triangles;
    expect(player).toBeGreaterThan(0);
    expect(gm).toBeGreaterThan(player);
  });

  it('the eraser hits a stroke near its line and misses it elsewhere', () => {
    const s = stroke({ kind: 'line', points: line, width: 4 });
    expect(hitsStroke(s, { x: 60, y: 13 }, 2)).toBe(true);
    expect(hitsStroke(s, { x: 60, y: 30 }, 2)).toBe(false);
    const { r } = stage('gm', { s });
    expect(r.pick(60, 11)).toMatchObject({ plugin: 'drawing', id: 's' });
  });
});
