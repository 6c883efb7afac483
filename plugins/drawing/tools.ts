import type { ToolContext, ToolDefinition, ToolGesture, ToolPointer } from '../../engine/plugin';
import type { DrawingProps } from '../../engine/generated/stageProps';
import type { Point } from '../../engine/schema';
import { encodePoints, smoothPath } from './encoding';

type Kind = DrawingProps['kind'];

/** Shift at the press puts the stroke on the GM layer (notes players never receive). */
const layerOf = (p: ToolPointer): DrawingProps['layer'] => (p.shiftKey ? 'gm' : 'players');

/**
 * A stroke in progress. The member is created on press with its first point;
 * while drawing, the points travel as an edit-gesture preview (awareness, at
 * the cursor rate) and only the finished, smoothed, compressed path is written
 * when the pointer is released — never a write per point. Escape removes it.
 */
function strokeGesture(
  ctx: ToolContext,
  kind: Kind,
  p: ToolPointer,
  extra: Partial<DrawingProps> = {},
): ToolGesture | undefined {
  const start = { x: Math.round(p.scene.x), y: Math.round(p.scene.y) };
  const id = ctx.addMember({ kind, layer: layerOf(p), points: encodePoints([start]), ...extra });
  if (!id) return undefined;
  const path = [ctx.plugin.key, id, 'points'];
  const raw: Point[] = [start];
  let editing = false;
  const current = (): Point[] => (kind === 'pen' ? smoothPath(raw) : [start, raw[raw.length - 1]!]);
  return {
    move(q) {
      raw.push(q.scene);
      if (!editing) ctx.beginEdit(path);
      editing = true;
      ctx.queuePropertyUpdate(path, encodePoints(current()));
    },
    end() {
      if (editing) ctx.endEdit(path);
    },
    cancel() {
      if (editing) ctx.endEdit(path);
      ctx.removeMember(id);
    },
  };
}

function strokeTool(kind: Kind, label: string, order: number, key?: string): ToolDefinition {
  return {
    id: `draw-${kind}`,
    label,
    ...(key ? { key } : {}),
    hint: `Drag to draw a ${label.toLowerCase()} on the players' layer; Shift: on the GM layer`,
    cursor: 'crosshair',
    order,
    onPointerDown: (ctx, p) => strokeGesture(ctx, kind, p),
  };
}

/** The member of this plugin's collection under a screen point, if any. */
function strokeAt(ctx: ToolContext, screen: Point): string | undefined {
  const hit = ctx.pick(screen);
  const member = hit && ctx.memberOf(hit);
  return member && member.collection === ctx.plugin.key ? member.id : undefined;
}

/** Removes every stroke the pointer passes over while pressed. */
const eraserTool: ToolDefinition = {
  id: 'draw-eraser',
  label: 'Eraser',
  hint: 'Drag over strokes to erase them',
  cursor: 'cell',
  order: 66,
  onPointerDown(ctx, p) {
    const erase = (q: ToolPointer): void => {
      const id = strokeAt(ctx, q.screen);
      if (id) ctx.removeMember(id);
    };
    erase(p);
    return { move: erase, end() {}, cancel() {} };
  },
};

/** Removes every stroke of the players' layer (Shift: of the GM layer). */
const clearTool: ToolDefinition = {
  id: 'draw-clear',
  label: 'Clear drawings',
  hint: "Click to clear the players' layer; Shift + click: the GM layer",
  order: 67,
  onPointerDown(ctx, p) {
    const layer = layerOf(p);
    for (const [id, s] of Object.entries(ctx.props().strokes)) if (s.layer === layer) ctx.removeMember(id);
    return undefined;
  },
};

/** A text label: asks for its text, then places it where the GM clicked. */
const textTool: ToolDefinition = {
  id: 'draw-text',
  label: 'Text label',
  hint: 'Click to place a text label (Shift: GM layer)',
  cursor: 'text',
  order: 65,
  onPointerDown(ctx, p) {
    // The tool seam has no text input yet; the browser's prompt is the stopgap.
    const text = typeof globalThis.prompt === 'function' ? globalThis.prompt('Label text') : null;
    if (!text) return undefined;
    const at = { x: Math.round(p.scene.x), y: Math.round(p.scene.y) };
    ctx.addMember({ kind: 'text', layer: layerOf(p), points: encodePoints([at]), text: text.slice(0, 500) });
    return undefined;
  },
};

export const drawingTools: readonly ToolDefinition[] = [
  strokeTool('pen', 'Pen', 60, 'p'),
  strokeTool('line', 'Line', 61),
  strokeTool('rect', 'Rectangle', 62),
  strokeTool('ellipse', 'Ellipse', 63),
  textTool,
  eraserTool,
  clearTool,
];
