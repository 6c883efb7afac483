/**
 * Per-user undo and redo: a Y.UndoManager that tracks only transactions made
 * with this client's origin, so undo never reverts another GM's edit (or a
 * reload, or the room's own writes).
 */
import * as Y from 'yjs';
import { getScenesList, getScenesMap } from './docLayout';

export class UndoHistory {
  readonly #manager: Y.UndoManager;

  constructor(doc: Y.Doc, origin: object, captureTimeout = 500) {
    this.#manager = new Y.UndoManager([getScenesMap(doc), getScenesList(doc)], {
      trackedOrigins: new Set([origin]),
      // Edits closer together than this (a slider scrub) undo as one step.
      captureTimeout,
    });
  }

  undo(): boolean {
    return this.#manager.undo() !== null;
  }

  redo(): boolean {
    return this.#manager.redo() !== null;
  }

  canUndo(): boolean {
    return this.#manager.canUndo();
  }

  canRedo(): boolean {
    return this.#manager.canRedo();
  }

  /** Makes the next edit a new undo step even if it follows quickly. */
  stopCapturing(): void {
    this.#manager.stopCapturing();
  }

  onChange(fn: () => void): void {
    for (const event of ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const)
      this.#manager.on(event, fn);
  }

  destroy(): void {
    this.#manager.destroy();
  }
}
