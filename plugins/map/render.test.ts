import { describe, expect, it } from 'vitest';
import { registry } from '../../engine/generated/schemas';
import { defaultStageProps } from '../../engine/generated/stageProps';
import { createNullStageRenderer } from '../../engine/render/nullRenderer';
import { editorPlugins } from '../../editor/generated/plugins';
import { isVideoUrl } from './render';
import { isGifUrl } from './gif';

describe('map render system (NullEngine)', () => {
  it('draws nothing without a map and releases its mesh on dispose', () => {
    const r = createNullStageRenderer({ view: 'gm', plugins: editorPlugins, registry });
    r.setProps(defaultStageProps());
    r.renderNow();
    expect(r.scene.getMeshByName('map')!.isEnabled()).toBe(false);
    r.dispose();
    expect(r.scene.getMeshByName('map')).toBeNull();
  });

  it('tells videos and GIFs from still images by URL', () => {
    expect(isVideoUrl('/assets/cave.webm')).toBe(true);
    expect(isVideoUrl('https://x.test/a.MP4?v=2')).toBe(true);
    expect(isVideoUrl('data:video/mp4;base64,AAAA')).toBe(true);
    expect(isVideoUrl('/assets/cave.gif')).toBe(false);
    expect(isVideoUrl('/assets/cave.webp')).toBe(false);
    expect(isGifUrl('/assets/torch.GIF?x=1')).toBe(true);
    expect(isGifUrl('data:image/gif;base64,R0lG')).toBe(true);
    expect(isGifUrl('/assets/giffard.png')).toBe(false);
  });
});
