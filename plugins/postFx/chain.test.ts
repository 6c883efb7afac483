import { describe, expect, it } from 'vitest';
import { registry } from '../../engine/generated/schemas';
import { defaultStageProps, type PostFxProps } from '../../engine/generated/stageProps';
import { createNullStageRenderer } from '../../engine/render/nullRenderer';
import { editorPlugins } from '../../editor/generated/plugins';
import type { StageRenderer } from '../../engine/render';

const passes = (r: StageRenderer) => (r.scene.activeCamera?._postProcesses ?? []).filter((p) => p).length;
const withFx = (fx: Partial<PostFxProps>) => {
  const props = defaultStageProps();
  props.postFx = { ...props.postFx, ...fx };
  return props;
};

describe('post-processing chain (NullEngine)', () => {
  it('attaches passes only while an effect is on: bloom adds scene copy, bright pass and two blurs', () => {
    const r = createNullStageRenderer({ view: 'player', plugins: editorPlugins, registry });
    r.setProps(withFx({}));
    r.renderNow();
    expect(passes(r)).toBe(0);
    r.setProps(withFx({ grading: true, vignette: true }));
    r.renderNow();
    expect(passes(r)).toBe(1);
    r.setProps(withFx({ grading: true, bloom: true }));
    r.renderNow();
    expect(passes(r)).toBe(5);
    // An effect at no strength is no effect.
    r.setProps(withFx({ bloom: true, bloomIntensity: 0, vignette: true, vignetteStrength: 0 }));
    r.renderNow();
    expect(passes(r)).toBe(0);
    r.dispose();
  });

  it('drops every pass on the low tier and brings them back above it', () => {
    const r = createNullStageRenderer({ view: 'gm', plugins: editorPlugins, registry });
    r.setProps(withFx({ bloom: true, toneMapping: 'aces' }));
    expect(passes(r)).toBe(5);
    r.setTier('low');
    expect(passes(r)).toBe(0);
    r.setTier('medium');
    expect(passes(r)).toBe(5);
    r.dispose();
  });
});
