/**
 * Other users' gesture previews, read from awareness and handed to the
 * scene store as overlay entries. Every preview is validated with the
 * registry first (a buggy or hostile peer must never make this client render
 * invalid data); previews of unknown scenes or paths are ignored, and
 * unknown members are filtered out by the store's overlay. A user's previews
 * vanish when their awareness state does — when they end the gesture or
 * disconnect.
 */
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { Registry } from '../schema';
import type { View } from '../generated/stageProps';
import { getSceneMap } from './docLayout';
import { checkPreview, readPreviews } from './previews';
import type { SceneStore } from './sceneStore';
import type { OverlayEntry } from './snapshots';

export class RemotePreviews {
  /** Per scene: the entries last handed to the store, as JSON, to notify only on change. */
  readonly #shown = new Map<string, string>();

  constructor(
    private readonly awareness: Awareness,
    private readonly doc: Y.Doc,
    private readonly registry: Registry,
    private readonly view: View,
    private readonly store: SceneStore,
  ) {}

  /** Re-reads every other user's previews; scenes whose previews changed are re-rendered. */
  refresh(): void {
    const byScene = new Map<string, OverlayEntry[]>();
    for (const [clientId, state] of this.awareness.getStates()) {
      if (clientId === this.awareness.clientID) continue;
      for (const preview of readPreviews(state)) {
        if (!getSceneMap(this.doc, preview.s)) continue;
        const entry = checkPreview(preview, this.registry, this.view);
        if (!entry) continue;
        const list = byScene.get(preview.s) ?? [];
        list.push(entry);
        byScene.set(preview.s, list);
      }
    }
    for (const sceneId of [...this.#shown.keys()])
      if (!byScene.has(sceneId)) {
        this.#shown.delete(sceneId);
        this.store.setRemotePreviews(sceneId, []);
      }
    for (const [sceneId, entries] of byScene) {
      const json = JSON.stringify(entries);
      if (this.#shown.get(sceneId) === json) continue;
      this.#shown.set(sceneId, json);
      this.store.setRemotePreviews(sceneId, entries);
    }
  }

  destroy(): void {
    this.#shown.clear();
  }
}
