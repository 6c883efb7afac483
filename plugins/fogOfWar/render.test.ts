import { describe, expect, it, vi } from 'vitest';
import { registry } from '../../engine/generated/schemas';
import { defaultStageProps } from '../../engine/generated/stageProps';
import { createNullStageRenderer } from '../../engine/render/nullRenderer';
import { editorPlugins } from '../../editor/generated/plugins';
import { FOG_CELL, FOG_TILE, FogMask, tileKey } from './mask';
import { rectangle } from './tools';
import { maskTexels } from './render';

describe('fog render system (NullEngine)', () => {
  it('draws only when enabled and visible to the view, and survives a corrupt tile', () => {
    const props = defaultStageProps();
    props.fogOfWar = { ...props.fogOfWar, enabled: true, gmOpacity: 0.4, playerOpacity: 0 };
    const gm = createNullStageRenderer({ view: 'gm', plugins: editorPlugins, registry });
    const player = createNullStageRenderer({ view: 'player', plugins: editorPlugins, registry });
    for (const r of [gm, player]) r.setProps(props);
    expect(gm.scene.getMeshByName('fogOfWar')!.isEnabled()).toBe(true);
    // A player opacity of 0 means players see no fog at all.
    expect(player.scene.getMeshByName('fogOfWar')!.isEnabled()).toBe(false);

    const mask = new FogMask();
    // Two tiles wide, one tall.
    rectangle(
      mask,
      { x: 0, y: 0, width: 1.5 * FOG_TILE * FOG_CELL, height: 0.5 * FOG_TILE * FOG_CELL },
      'reveal',
    );
    const blobs = mask.toBlobs();
    blobs.set(tileKey(5, 5), Uint8Array.of(7, 7, 7));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    gm.setBlobs(blobs);
    gm.renderNow();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('fog/5_5'));
    warn.mockRestore();
    // The mask texture holds the two good tiles: 128 × 64 texels.
    const texture = gm.scene.textures.find((t) => t.getSize().width === 128);
    expect(texture?.getSize()).toEqual({ width: 128, height: 64 });

    gm.setProps({ ...props, fogOfWar: { ...props.fogOfWar, enabled: false } });
    expect(gm.scene.getMeshByName('fogOfWar')!.isEnabled()).toBe(false);
    gm.dispose();
    player.dispose();
  });
});

describe('fog mask texels', () => {
  it('averages cells down when the painted area exceeds the texture limit, keeping memory bounded', () => {
    const mask = new FogMask();
    // Reveal the left half of a 4×1-tile area (256×64 cells).
    rectangle(mask, { x: 0, y: 0, width: 128 * FOG_CELL, height: 64 * FOG_CELL - 1 }, 'reveal');
    mask.tile(3, 0); // keep the covered tiles stored so the box spans 4 tiles
    mask.tile(0, 0)[0] = 1; // one fogged cell in the revealed half
    const b = mask.tileBounds()!;
    const full = maskTexels(mask, b, 4096);
    expect(full).toMatchObject({ width: 256, height: 64, cellsPerTexel: 1 });
    expect(full.data[0]).toBe(255);
    expect(full.data[1]).toBe(0);
    expect(full.data[200]).toBe(255);
    const small = maskTexels(mask, b, 64);
    expect(small).toMatchObject({ width: 64, height: 16, cellsPerTexel: 4 });
    expect(small.data[0]).toBe(Math.round(255 / 16));
    expect(small.data[1]).toBe(0);
    expect(small.data[40]).toBe(255);
  });
});
