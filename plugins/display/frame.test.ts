import { describe, expect, it } from 'vitest';
import { frameView, sceneToScreen } from '../../engine/render';
import { snapToGrid, gridFromFileName } from '../grid/snap';
import { cssPixelsPerInch, fitFrame, frameContains, inchSquaresSize, turnFrame } from './frame';

const map = [
  { x: 0, y: 0 },
  { x: 2000, y: 0 },
  { x: 2000, y: 1400 },
  { x: 0, y: 1400 },
];

describe('display frame maths', () => {
  it('fits a 16:9 frame around a 2000×1400 map: whole map inside, touching top and bottom', () => {
    const f = fitFrame(map, 16 / 9, 0);
    expect(f.center).toEqual({ x: expect.closeTo(1000), y: expect.closeTo(700) });
    expect(f.height).toBeCloseTo(1400);
    expect(f.width).toBeCloseTo((1400 * 16) / 9);
    for (const c of map) expect(frameContains(f, c)).toBe(true);
    // On a 1920×1080 TV the map's corners land on the screen, its top and bottom on the edges.
    const v = frameView(f, { width: 1920, height: 1080 });
    const tl = sceneToScreen(v, { x: 0, y: 0 });
    const br = sceneToScreen(v, { x: 2000, y: 1400 });
    expect(tl.y).toBeCloseTo(0);
    expect(br.y).toBeCloseTo(1080);
    expect(tl.x).toBeGreaterThanOrEqual(0);
    expect(br.x).toBeLessThanOrEqual(1920);
  });

  it('a frame turned 90° fits a tall map with the TV lying across it', () => {
    // A 1000 × 2000 (portrait) map on a landscape TV: turning the frame makes the map's length the TV's width.
    const tall = [
      { x: 0, y: 0 },
      { x: 1000, y: 0 },
      { x: 1000, y: 2000 },
      { x: 0, y: 2000 },
    ];
    const f = fitFrame(tall, 16 / 9, 90);
    expect(f.rotation).toBe(90);
    // Along the TV's width lies the map's 2000-long side.
    expect(f.width).toBeCloseTo(2000);
    expect(f.height).toBeCloseTo(1125);
    for (const c of tall) expect(frameContains(f, c)).toBe(true);
    const v = frameView(f, { width: 1600, height: 900 });
    // The frame's top edge lies along the map's right side: the map's top-right corner is the TV's
    // top-left side and its top-left corner is at the bottom-left.
    const tr = sceneToScreen(v, { x: 1000, y: 0 });
    expect(tr.x).toBeCloseTo(0);
    expect(tr.y).toBeLessThan(450);
    const tl = sceneToScreen(v, { x: 0, y: 0 });
    expect(tl.x).toBeCloseTo(0);
    expect(tl.y).toBeGreaterThan(450);
    for (const c of tall) {
      const s = sceneToScreen(v, c);
      expect(s.x).toBeGreaterThanOrEqual(-1e-6);
      expect(s.x).toBeLessThanOrEqual(1600 + 1e-6);
      expect(s.y).toBeGreaterThanOrEqual(-1e-6);
      expect(s.y).toBeLessThanOrEqual(900 + 1e-6);
    }
  });

  it('turns 180° and 270° about the centre, and back to 0° after four quarters', () => {
    const f = fitFrame(map, 16 / 9, 0);
    expect(turnFrame(f, 2).rotation).toBe(180);
    expect(turnFrame(f, 3).rotation).toBe(270);
    expect(turnFrame(f, 4)).toEqual(f);
    const v = frameView(turnFrame(f, 2), { width: 1920, height: 1080 });
    // Upside down: the map's top-left corner is now towards the bottom-right.
    const tl = sceneToScreen(v, { x: 0, y: 0 });
    expect(tl.y).toBeCloseTo(1080);
    expect(tl.x).toBeGreaterThan(960);
  });

  it('sizes the frame so one cell is one inch on a 55" 16:9 TV at 1920×1080 CSS px', () => {
    const ppi = cssPixelsPerInch({ width: 1920, height: 1080 }, 55, 'in');
    expect(ppi).toBeCloseTo(Math.hypot(1920, 1080) / 55); // ≈ 40.05
    const size = inchSquaresSize(64, { width: 1920, height: 1080 }, 55, 'in');
    const v = frameView({ center: { x: 0, y: 0 }, ...size, rotation: 0 }, { width: 1920, height: 1080 });
    // A 64-unit cell measures ppi CSS px, i.e. one inch.
    expect(64 * v.zoom).toBeCloseTo(ppi);
    // The same TV in centimetres gives the same frame.
    const cm = inchSquaresSize(64, { width: 1920, height: 1080 }, 55 * 2.54, 'cm');
    expect(cm.width).toBeCloseTo(size.width);
  });

  it('offsets the grid, and snaps flat-top hexes as pointy ones turned', () => {
    expect(snapToGrid({ x: 70, y: 70 }, { type: 'square', size: 64, offset: { x: 10, y: 20 } })).toEqual({
      x: 42,
      y: 52,
    });
    expect(snapToGrid({ x: 80, y: 90 }, { type: 'square', size: 64, offset: { x: 10, y: 20 } })).toEqual({
      x: 106,
      y: 116,
    });
    const pointy = snapToGrid({ x: 5, y: 40 }, { type: 'hex', size: 64, hexOrientation: 'pointy' });
    const flat = snapToGrid({ x: 40, y: 5 }, { type: 'hex', size: 64, hexOrientation: 'flat' });
    expect(flat).toEqual({ x: pointy.y, y: pointy.x });
  });

  it('reads a grid from a map file name', () => {
    expect(gridFromFileName('crypt_30x22.png')).toEqual({ cols: 30, rows: 22 });
    expect(gridFromFileName('Keep 1024 level 2 20X15.webp')).toEqual({ cols: 20, rows: 15 });
    expect(gridFromFileName('crypt.png')).toBeUndefined();
  });
});
