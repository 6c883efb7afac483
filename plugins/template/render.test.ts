import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import { describe, expect, it } from 'vitest';
import { registry } from '../../engine/generated/schemas';
import {
  defaultStageProps,
  defaultTemplateProps,
  type TemplateProps,
} from '../../engine/generated/stageProps';
import { createNullStageRenderer } from '../../engine/render/nullRenderer';
import { editorPlugins } from '../../editor/generated/plugins';

const template = (over: Partial<TemplateProps>): TemplateProps => ({
  ...structuredClone(defaultTemplateProps),
  ...over,
});
const triangles = (r: ReturnType<typeof createNullStageRenderer>) =>
  r.scene.meshes
    .filter((m): m is Mesh => m.name === 'templates' && m.isEnabled())
    .reduce((n, m) => n + m.getTotalIndices() / 3, 0);

function stage(view: 'gm' | 'player', templates: Record<string, TemplateProps>) {
  const r = createNullStageRenderer({ view, plugins: editorPlugins, registry });
  const props = defaultStageProps();
  props.templates = templates;
  r.setProps(props);
  r.renderNow();
  return { r, props };
}

describe('template renderer', () => {
  it('follows the grid it reads: more units per cell, fewer highlighted cells', () => {
    const { r, props } = stage('gm', { a: template({ origin: { x: 32, y: 32 }, size: 10 }) });
    const before = triangles(r);
    expect(before).toBeGreaterThan(0);
    // Only the grid changes: the template system is told through `stageChanged`.
    r.setProps({ ...props, grid: { ...props.grid, unitDistance: 10 } });
    expect(triangles(r)).toBeLessThan(before);
  });

  it('players get no geometry for a GM-only template; the GM does', () => {
    const gmOnly = { a: template({ gmOnly: true }) };
    expect(triangles(stage('player', gmOnly).r)).toBe(0);
    expect(triangles(stage('gm', gmOnly).r)).toBeGreaterThan(0);
  });

  it('picks a template inside its outline, for the select tool', () => {
    const { r } = stage('gm', { a: template({ origin: { x: 100, y: 100 }, size: 10 }) });
    expect(r.pick(100, 100)).toMatchObject({ plugin: 'template', id: 'a' });
  });
});
