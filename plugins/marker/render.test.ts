import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import { describe, expect, it } from 'vitest';
import { registry } from '../../engine/generated/schemas';
import { defaultMarkerProps, defaultStageProps, type MarkerProps } from '../../engine/generated/stageProps';
import { createNullStageRenderer } from '../../engine/render/nullRenderer';
import { editorPlugins } from '../../editor/generated/plugins';
import { beginMarkerDrag } from './drag';
import { DIMMED_ALPHA, markerAlpha } from './rules';
import { snapToGrid } from '../grid/snap';

function markers(
  n: number,
  over: (i: number) => Partial<MarkerProps> = () => ({}),
): Record<string, MarkerProps> {
  const out: Record<string, MarkerProps> = {};
  const shapes = ['circle', 'square', 'triangle', 'pin'] as const;
  for (let i = 0; i < n; i++)
    out[`m${i}`] = {
      ...structuredClone(defaultMarkerProps),
      position: { x: (i % 40) * 20, y: Math.floor(i / 40) * 20 },
      shape: shapes[i % 4]!,
      color: i % 2 ? '#ff0000' : '#00ff00',
      ...over(i),
    };
  return out;
}

function renderMarkers(view: 'gm' | 'player', m: Record<string, MarkerProps>) {
  const r = createNullStageRenderer({ view, plugins: editorPlugins, registry });
  const props = defaultStageProps();
  props.grid = { ...props.grid, visible: false };
  props.markers = m;
  r.setProps(props);
  r.renderNow();
  return { r, props };
}

const markerMeshes = (r: ReturnType<typeof renderMarkers>['r']) =>
  r.scene.meshes.filter((m): m is Mesh => m.name.startsWith('markers:'));

describe('marker render system (NullEngine)', () => {
  it('draws 1,000 markers of every shape with the same draw calls and meshes as 10', () => {
    const small = renderMarkers('gm', markers(10));
    const big = renderMarkers('gm', markers(1000));
    expect(big.r.stats().drawCalls).toBeGreaterThan(0);
    expect(big.r.stats().drawCalls).toBe(small.r.stats().drawCalls);
    expect(big.r.scene.meshes.length).toBe(small.r.scene.meshes.length);
    const [mesh] = markerMeshes(big.r);
    expect(mesh!.thinInstanceCount).toBe(1000);
    small.r.dispose();
    big.r.dispose();
  });

  it('leaves GM-only markers out of the player view and keeps them (dimmed) for the GM', () => {
    const m = markers(10, (i) => ({ visibility: i < 3 ? 'gm-only' : 'always', size: 0.25 }));
    const gm = renderMarkers('gm', m);
    const player = renderMarkers('player', m);
    expect(markerMeshes(gm.r)[0]!.thinInstanceCount).toBe(10);
    expect(markerMeshes(player.r)[0]!.thinInstanceCount).toBe(7);
    // m0 at scene (0, 0) is GM-only; the player view frames the display area, hence sceneToScreen.
    const at = (r: typeof gm.r) => r.sceneToScreen({ x: 1, y: 1 });
    expect(player.r.pick(at(player.r).x, at(player.r).y)).toBeUndefined();
    expect(gm.r.pick(at(gm.r).x, at(gm.r).y)).toMatchObject({ plugin: 'marker', id: 'm0' });
    gm.r.dispose();
    player.r.dispose();
  });

  it('player-only markers are drawn for players and dimmed for the GM', () => {
    const plugin = registry.collection('markers')!;
    const m = { ...structuredClone(defaultMarkerProps), visibility: 'player-only' as const };
    expect(markerAlpha(plugin, m, 'player', false)).toBe(1);
    expect(markerAlpha(plugin, m, 'gm', false)).toBe(DIMMED_ALPHA);
    expect(markerAlpha(plugin, { ...m, visibility: 'always' }, 'gm', false)).toBe(1);
  });

  it('hover-visibility markers the room sends are drawn for players; the GM sees them dimmed until hovered', () => {
    const plugin = registry.collection('markers')!;
    const m = { ...structuredClone(defaultMarkerProps), visibility: 'hover' as const };
    // The room puts a hover marker into the player view only while a GM hovers it (room.ts).
    expect(markerAlpha(plugin, m, 'player', false)).toBe(1);
    expect(markerAlpha(plugin, m, 'gm', false)).toBe(DIMMED_ALPHA);
    expect(markerAlpha(plugin, m, 'gm', true)).toBe(1);
    const gm = renderMarkers(
      'gm',
      markers(2, (i) => ({ visibility: i === 0 ? 'hover' : 'always', size: 0.25 })),
    );
    const at = gm.r.sceneToScreen({ x: 2, y: 2 });
    expect(gm.r.pick(at.x, at.y)?.id).toBe('m0');
    gm.r.dispose();
  });

  it('picks the topmost marker under the pointer through the viewport', () => {
    const m = markers(3, (i) => ({ position: { x: 100 + i * 10, y: 100 }, size: 0.625 }));
    const { r, props } = renderMarkers('gm', m);
    r.setProps({ ...props, scene: { ...props.scene, zoom: 2, offset: { x: 10, y: 20 } } });
    const screen = r.sceneToScreen({ x: 112, y: 100 });
    expect(r.pick(screen.x, screen.y)?.id).toBe('m2');
    const far = r.sceneToScreen({ x: 300, y: 300 });
    expect(r.pick(far.x, far.y)).toBeUndefined();
    r.dispose();
  });

  it('updates instances in place on change and removes meshes on dispose', () => {
    const { r, props } = renderMarkers('gm', markers(5));
    const before = r.scene.meshes.length;
    r.setSelection('marker', new Set(['m1']));
    r.setProps({ ...props, markers: markers(4) });
    r.renderNow();
    expect(markerMeshes(r)[0]!.thinInstanceCount).toBe(4);
    expect(r.scene.meshes.length).toBe(before);
    r.dispose();
    expect(r.scene.meshes.length).toBe(0);
  });

  it('moves a dragged marker in place without rebuilding the batch', () => {
    const { r, props } = renderMarkers('gm', markers(100));
    const [mesh] = markerMeshes(r);
    const moved = { ...props.markers['m7']!, position: { x: 555, y: 444 }, color: '#123456' };
    r.setProps({ ...props, markers: { ...props.markers, m7: moved } });
    r.renderNow();
    expect(markerMeshes(r)).toEqual([mesh]);
    expect(mesh!.thinInstanceCount).toBe(100);
    const matrix = mesh!.thinInstanceGetWorldMatrices()[7]!;
    expect(matrix.getTranslation().x).toBe(555);
    expect(matrix.getTranslation().y).toBe(-444);
    expect(r.pick(r.sceneToScreen({ x: 555, y: 444 }).x, r.sceneToScreen({ x: 555, y: 444 }).y)?.id).toBe(
      'm7',
    );
    r.dispose();
  });

  it('drag keeps the grab offset and snaps the marker to grid cell centres', () => {
    const drag = beginMarkerDrag('m1', { x: 100, y: 100 }, { x: 110, y: 95 });
    expect(drag.moveTo({ x: 210, y: 195 })).toEqual({ x: 200, y: 200 });
    const snapped = drag.moveTo({ x: 210, y: 195 }, (p) => snapToGrid(p, { type: 'square', size: 64 }));
    expect(snapped).toEqual({ x: 224, y: 224 });
  });
});
