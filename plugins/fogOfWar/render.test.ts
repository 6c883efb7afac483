import { describe, expect, it, vi } from 'vitest';
import { registry } from '../../engine/generated/schemas';
import { defaultStageProps } from '../../engine/generated/stageProps';
import { createNullStageRenderer } from '../../engine/render/nullRenderer';
import { builtinRenderPlugins } from '..';
import { FogMask, tileKey } from './mask';
import { rectangle } from './tools';

describe('fog render system (NullEngine)', () => {
  it('draws only when enabled and visible to the view, and survives a corrupt tile', () => {
    const props = defaultStageProps();
    props.fogOfWar = { ...props.fogOfWar, enabled: true, gmOpacity: 0.4, playerOpacity: 0 };
    const gm = createNullStageRenderer({ view: 'gm', plugins: builtinRenderPlugins, registry });
    const player = createNullStageRenderer({ view: 'player', plugins: builtinRenderPlugins, registry });
    for (const r of [gm, player]) r.setProps(props);
    expect(gm.scene.getMeshByName('fogOfWar')!.isEnabled()).toBe(true);
    // A player opacity of 0 means players see no fog at all.
    expect(player.scene.getMeshByName('fogOfWar')!.isEnabled()).toBe(false);

    const mask = new FogMask();
    rectangle(mask, { x: 0, y: 0, width: 900, height: 300 }, 'reveal');
    const blobs = mask.toBlobs();
    blobs.set(tileKey(5, 5), Uint8Array.of(7, 7, 7));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    gm.setBlobs(blobs);
    gm.renderNow();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('fog/5_5'));
    warn.mockRestore();
    // The mask texture holds the two good tiles (x 0..1 → 128 × 64 texels).
    const texture = gm.scene.textures.find((t) => t.getSize().width === 128);
    expect(texture?.getSize()).toEqual({ width: 128, height: 64 });

    gm.setProps({ ...props, fogOfWar: { ...props.fogOfWar, enabled: false } });
    expect(gm.scene.getMeshByName('fogOfWar')!.isEnabled()).toBe(false);
    gm.dispose();
    player.dispose();
  });
});
