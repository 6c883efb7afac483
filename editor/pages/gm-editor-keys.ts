import { rotateAbout, zoomAt, type StageRenderer, type ViewportTransform } from '../../engine/render';
import type { PluginRuntime, ToolKey } from '../../engine/plugin';
import type { PropInfo, Registry } from '../../engine/schema';
import { registry } from '../../engine/generated/schemas';
import type { EditorCommand } from '../components/tool-bar';
import { PLUGINS, TOOLS } from '../state/plugins';

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

/** The key press as the active tool is offered it: outside text fields and without Ctrl/Cmd. */
export function toolKey(e: KeyboardEvent): ToolKey | undefined {
  if (e.ctrlKey || e.metaKey || inTextField(e)) return undefined;
  return { key: e.key, altKey: e.altKey, shiftKey: e.shiftKey };
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

/** An asset property a dropped file may fill, as a plugin declared it (`drop`). */
export interface DropCandidate {
  readonly prop: PropInfo;
  readonly accept: readonly string[];
  readonly priority: number;
}

/** Every declared drop target, highest priority first (ties keep registry order). */
export function dropTargets(runtimes: readonly PluginRuntime[], reg: Registry): DropCandidate[] {
  return runtimes
    .flatMap((r) =>
      (r.drop ?? []).flatMap((d) => {
        const plugin = reg.plugin(r.name);
        const prop = plugin?.props.find((p) => p.key === d.prop);
        if (!prop || prop.decl.kind !== 'asset' || plugin?.attachTo !== 'scene') return [];
        return [{ prop, accept: d.accept ?? prop.decl.accept ?? [], priority: d.priority ?? 0 }];
      }),
    )
    .sort((a, b) => b.priority - a.priority);
}

const DROP_TARGETS = dropTargets(PLUGINS, registry);

/** The asset property a dropped file of type `mime` goes to: the highest-priority plugin that takes it. */
export function assetPropFor(mime: string): PropInfo | undefined {
  return DROP_TARGETS.find((t) => t.accept.includes(mime))?.prop;
}

/** What the file picker offers: every type a drop target takes. */
export function uploadAccept(): string {
  return [...new Set(DROP_TARGETS.flatMap((t) => t.accept))].join(',');
}
