import { describe, expect, it } from 'vitest';
import { registry } from '../../engine/generated/schemas';
import { defaultStageProps } from '../../engine/generated/stageProps';
import { createNullStageRenderer } from '../../engine/render/nullRenderer';
import { editorPlugins } from '../../editor/generated/plugins';

describe('grid render system (NullEngine)', () => {
  it('covers the visible area at every zoom, hides when not visible, and cleans up', () => {
    const r = createNullStageRenderer({
      view: 'gm',
      plugins: editorPlugins,
      registry,
      width: 800,
      height: 600,
    });
    const props = defaultStageProps();
    r.setProps(props);
    r.renderNow();
    const mesh = r.scene.getMeshByName('grid')!;
    expect(mesh.isEnabled()).toBe(true);
    expect(mesh.scaling.x).toBeGreaterThanOrEqual(800);
    r.setProps({ ...props, scene: { ...props.scene, zoom: 0.1 } });
    r.renderNow();
    // 800 CSS px at zoom 0.1 show 8,000 scene units: the plane grows with the view.
    expect(mesh.scaling.x).toBeGreaterThanOrEqual(8000);
    r.setProps({ ...props, grid: { ...props.grid, visible: false } });
    expect(mesh.isEnabled()).toBe(false);
    r.setProps({ ...props, grid: { ...props.grid, type: 'hex', visible: true } });
    r.renderNow();
    expect(mesh.isEnabled()).toBe(true);
    r.dispose();
    expect(r.scene.getMeshByName('grid')).toBeNull();
  });
});
