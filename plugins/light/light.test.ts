import { describe, expect, it } from 'vitest';
import { registry } from '../../engine/generated/schemas';
import { defaultLightProps, defaultStageProps, type LightProps } from '../../engine/generated/stageProps';
import { createNullStageRenderer } from '../../engine/render/nullRenderer';
import { isGmOnlyMember } from '../../engine/sync/values';
import { editorPlugins } from '../../editor/generated/plugins';
import { isHiddenLight, MAX_LIGHTS, packLights, visibleLights } from './pack';
import { lightAnimation } from './styles';

const plugin = registry.plugin('light')!;
const light = (over: Partial<LightProps>): LightProps => ({ ...structuredClone(defaultLightProps), ...over });

describe('light styles', () => {
  it('keeps steady lights still and animated ones within bounds, never out', () => {
    for (const t of [0, 0.3, 1.7, 12])
      expect(lightAnimation('steady', 1, 0, t)).toEqual({ brightness: 1, radius: 1 });
    for (const style of ['torch', 'candle', 'pulse'] as const) {
      const seen = new Set<number>();
      for (let t = 0; t < 5; t += 0.1) {
        const a = lightAnimation(style, 1, 0.5, t);
        expect(a.brightness).toBeGreaterThanOrEqual(0.6);
        expect(a.brightness).toBeLessThanOrEqual(1.15);
        seen.add(Math.round(a.brightness * 1000));
      }
      expect(seen.size).toBeGreaterThan(5);
      // Speed 0 freezes any style.
      expect(lightAnimation(style, 0, 0.5, 3)).toEqual({ brightness: 1, radius: 1 });
    }
  });
});

describe('hidden lights (secrecy)', () => {
  it('the light predicate and the room projection agree: hidden lights are GM-only members', () => {
    const hidden = light({ hidden: true });
    const shown = light({ hidden: false });
    expect(isHiddenLight(hidden)).toBe(true);
    expect(isHiddenLight(shown)).toBe(false);
    // The room's projection uses the registry's gmOnlyWhen: players never receive a hidden light.
    expect(isGmOnlyMember(plugin, hidden as unknown as Record<string, unknown>)).toBe(true);
    expect(isGmOnlyMember(plugin, shown as unknown as Record<string, unknown>)).toBe(false);
  });

  it('a player view never draws a hidden light, even one that reached it', () => {
    const lights = { h: light({ hidden: true }), v: light({}) };
    expect(visibleLights(lights, 'player').map(([id]) => id)).toEqual(['v']);
    expect(visibleLights(lights, 'gm').map(([id]) => id)).toEqual(['h', 'v']);
  });
});

describe('light packing', () => {
  it('turns grid cells into scene units with the grid size', () => {
    const out = new Float32Array(MAX_LIGHTS * 3 * 4);
    packLights(
      out,
      [['a', light({ style: 'steady', position: { x: 5, y: 7 }, brightRadius: 2, dimRadius: 3 })]],
      50,
      0,
    );
    expect([...out.slice(0, 4)]).toEqual([5, 7, 100, 150]);
  });
});

describe('light render system (NullEngine)', () => {
  const scene = (lights: Record<string, LightProps>, darkness: number) => {
    const props = defaultStageProps();
    props.lighting = { ...props.lighting, darkness };
    props.lights = lights;
    return props;
  };

  it('animates only while darkness shows and a drawn light flickers; idles otherwise', () => {
    const r = createNullStageRenderer({ view: 'player', plugins: editorPlugins, registry });
    const torch = { t: light({ style: 'torch' }) };
    r.setProps(scene(torch, 0.8));
    expect(r.stats().animating).toBe(1);
    r.setProps(scene({ s: light({ style: 'steady' }) }, 0.8));
    expect(r.stats().animating).toBe(0);
    // Daylight: a torch changes nothing visible, so nothing animates.
    r.setProps(scene(torch, 0));
    expect(r.stats().animating).toBe(0);
    // A hidden torch is not drawn for players, so it cannot keep their display busy.
    r.setProps(scene({ t: light({ style: 'torch', hidden: true }) }, 1));
    expect(r.stats().animating).toBe(0);
    r.dispose();
  });

  it('lets the GM pick a light by its handle (to drag it); players cannot', () => {
    const props = scene({ a: light({ position: { x: 100, y: 100 } }) }, 1);
    for (const view of ['gm', 'player'] as const) {
      const r = createNullStageRenderer({ view, plugins: editorPlugins, registry });
      r.setProps(props);
      const at = r.sceneToScreen({ x: 100, y: 100 });
      const hit = r.pick(at.x + 3, at.y);
      if (view === 'gm') expect(hit).toMatchObject({ plugin: 'light', id: 'a' });
      else expect(hit?.plugin).not.toBe('light');
      r.dispose();
    }
  });
});
