import {
  TriangleBuilder,
  createTriangleLayer,
  defineRenderPlugin,
  hexToRgb,
  sceneToScreen,
  type RenderContext,
} from '../../engine/render';
import type { PresenceEntry } from '../../engine/plugin';
import type { PingProps } from '../../engine/generated/stageProps';
import type { Point } from '../../engine/schema';
import type { PingValue } from './presence';

/** How long one ring animates, ms. */
export const RING_MS = 1600;
/** The ring grows from this radius to the next, in CSS px, and fades out. */
const FROM_PX = 6;
const TO_PX = 70;
const RING_WIDTH_PX = 5;
/** The dot marking the spot itself, radius in CSS px. */
const DOT_PX = 4;
const SEGMENTS = 48;

interface Ring {
  readonly at: Point;
  readonly rgb: readonly number[];
  readonly start: number;
}

/** An annulus between radii `inner` and `outer` as a quad strip: no overlap, so a faded ring fades evenly. */
function annulus(t: TriangleBuilder, at: Point, inner: number, outer: number, rgba: readonly number[]): void {
  const ring = (r: number, i: number) => {
    const a = (i / SEGMENTS) * 2 * Math.PI;
    return { x: at.x + Math.cos(a) * r, y: at.y + Math.sin(a) * r };
  };
  for (let i = 0; i < SEGMENTS; i++) {
    const [a0, a1, b0, b1] = [ring(inner, i), ring(inner, i + 1), ring(outer, i), ring(outer, i + 1)];
    t.triangle(a0.x, a0.y, b0.x, b0.y, b1.x, b1.y, rgba);
    t.triangle(a0.x, a0.y, b1.x, b1.y, a1.x, a1.y, rgba);
  }
}

/**
 * The view (world → screen) that puts scene point `p` in the middle of the
 * screen at the current zoom and rotation. Only an unframed player view
 * follows it (a player's free view): the TV keeps its frame.
 */
function centredOn(c: RenderContext, p: Point) {
  const content = c.viewport.content;
  const current = c.viewport.current;
  const zoom = current.zoom / content.zoom;
  const rotation = current.rotation - content.rotation;
  const world = sceneToScreen(content, p);
  const turned = sceneToScreen({ offset: { x: 0, y: 0 }, zoom, rotation }, world);
  const screen = c.viewport.screen;
  return { zoom, rotation, offset: { x: screen.width / 2 - turned.x, y: screen.height / 2 - turned.y } };
}

/**
 * Pings: each new ping (a new number from a user) starts a ring that grows
 * and fades over {@link RING_MS}, in the scene's ping colour (a player's in
 * their own colour). A GM's "pull" ping also centres an unframed player view
 * on the spot; the framed TV keeps its frame.
 */
export const pingRender = defineRenderPlugin<PingProps>({
  create(ctx) {
    const layer = createTriangleLayer(ctx, 'ping');
    let color = '#ff922b';
    /** The last ping number seen per client, so a ping starts one ring however often presence repeats. */
    const seen = new Map<number, number>();
    let rings: Ring[] = [];

    const draw = (c: RenderContext, now: number): void => {
      rings = rings.filter((r) => now - r.start < RING_MS);
      const k = c.viewport.unitsPerPixel * c.viewport.pixelRatio;
      const t = new TriangleBuilder();
      for (const r of rings) {
        const f = Math.max(0, (now - r.start) / RING_MS);
        const alpha = 1 - f;
        const radius = (FROM_PX + (TO_PX - FROM_PX) * f) * k;
        const half = (RING_WIDTH_PX / 2) * k;
        annulus(t, r.at, radius - half, radius + half, [...r.rgb, alpha]);
        annulus(t, r.at, 0, DOT_PX * k, [...r.rgb, alpha]);
      }
      layer.set(t);
      c.setAnimating(rings.length > 0);
    };

    return {
      update(_prev, next) {
        color = next.color;
      },
      presence(entries, c) {
        const now = c.now();
        const live = new Set<number>();
        for (const e of entries as readonly PresenceEntry<PingValue>[]) {
          live.add(e.clientId);
          if (seen.get(e.clientId) === e.value.n) continue;
          seen.set(e.clientId, e.value.n);
          const at = { x: e.value.x, y: e.value.y };
          rings.push({ at, rgb: hexToRgb(e.user.role === 'player' ? e.user.color : color), start: now });
          if (e.value.pull && e.user.role === 'gm' && c.view === 'player' && !c.viewport.framed && !e.local)
            c.viewport.setTransform(centredOn(c, at));
        }
        for (const id of seen.keys()) if (!live.has(id)) seen.delete(id);
        draw(c, now);
        c.requestRender();
      },
      beforeFrame(now, c) {
        if (rings.length) draw(c, now);
      },
      dispose() {
        layer.dispose();
      },
    };
  },
});
