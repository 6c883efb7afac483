import { rotateAbout, zoomAt, type StageRenderer, type ViewportTransform } from '../../engine/render';
import type { PropInfo } from '../../engine/schema';
import { registry } from '../../engine/generated/schemas';
import type { EditorCommand } from '../components/tool-bar';
import { TOOLS } from '../state/tools';

/** What a key press asks the editor to do. */
export type KeyAction =
  | { kind: 'command'; command: EditorCommand }
  | { kind: 'tool'; tool: string }
  | { kind: 'delete' }
  | { kind: 'escape' }
  | { kind: 'view'; apply: (t: ViewportTransform, r: StageRenderer) => ViewportTransform };

/** True when the key press belongs to a text field (typing must not trigger shortcuts). */
function inTextField(e: KeyboardEvent): boolean {
  return e.composedPath().some((n) => {
    if (!(n instanceof HTMLElement)) return false;
    if (n instanceof HTMLTextAreaElement || n instanceof HTMLSelectElement || n.isContentEditable)
      return true;
    return (
      n instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'range', 'color'].includes(n.type)
    );
  });
}

const centre = (r: StageRenderer) => {
  const c = r.engine.getRenderingCanvas();
  return { x: (c?.clientWidth ?? 0) / 2, y: (c?.clientHeight ?? 0) / 2 };
};

/**
 * The editor's keyboard shortcuts (listed in the help panel): undo / redo
 * with Ctrl or Cmd, tool keys, Delete, Escape, F (fit), [ / ] (rotate),
 * + / - (zoom), ? (help). Undo and redo work even inside a text field only
 * when the field is not being typed in.
 */
export function keyCommand(e: KeyboardEvent): KeyAction | undefined {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (inTextField(e)) return undefined;
  if (mod && key === 'z') return { kind: 'command', command: e.shiftKey ? 'redo' : 'undo' };
  if (mod && key === 'y') return { kind: 'command', command: 'redo' };
  if (mod || e.altKey) return undefined;
  if (e.key === '?') return { kind: 'command', command: 'help' };
  if (e.key === 'Escape') return { kind: 'escape' };
  if (e.key === 'Delete' || e.key === 'Backspace') return { kind: 'delete' };
  if (key === 'f') return { kind: 'command', command: 'fit' };
  // Brackets rotate: letters belong to the tools.
  if (e.key === '[' || e.key === ']') {
    const deg = e.key === '[' ? -15 : 15;
    return { kind: 'view', apply: (t, r) => rotateAbout(t, centre(r), deg) };
  }
  if (e.key === '+' || e.key === '=') return { kind: 'view', apply: (t, r) => zoomAt(t, centre(r), 1.25) };
  if (e.key === '-') return { kind: 'view', apply: (t, r) => zoomAt(t, centre(r), 0.8) };
  const tool = TOOLS.find((t) => t.key === key);
  return tool ? { kind: 'tool', tool: tool.id } : undefined;
}

/** Asset properties of scene plugins, in inspector order: where a dropped file can go. */
const sceneAssets: readonly PropInfo[] = registry.scenePlugins.flatMap((p) =>
  p.props.filter((prop) => prop.decl.kind === 'asset' && !prop.localOnly),
);

/** The first scene asset property that accepts files of `mime`. */
export function assetPropFor(mime: string): PropInfo | undefined {
  return sceneAssets.find((p) => p.decl.kind === 'asset' && (p.decl.accept ?? []).includes(mime));
}

/** What the map file picker offers: every type a scene asset property accepts. */
export function uploadAccept(): string {
  return [
    ...new Set(sceneAssets.flatMap((p) => (p.decl.kind === 'asset' ? (p.decl.accept ?? []) : []))),
  ].join(',');
}
