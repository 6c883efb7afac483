import type { StageRenderer } from '../../engine/render';
import type { StageProps } from '../../engine/generated/stageProps';
import type { SessionStore } from './session-store';
import type { ThumbnailMaker } from './thumbnails';

/**
 * What end-to-end tests (and a curious person in the console) can read:
 * the page's view, the StageProps it shows, its documents and renderer.
 * Read-only in spirit: tests drive the page through its UI.
 */
export interface TablestageHook {
  readonly view: 'gm' | 'player';
  props(): StageProps | undefined;
  sceneId(): string;
  live(): boolean;
  store: SessionStore;
  renderer(): StageRenderer | undefined;
  /** The GM editor's scene thumbnails (GM pages only). */
  thumbnails?: ThumbnailMaker;
}

declare global {
  interface Window {
    __tablestage?: TablestageHook;
  }
}

/** Publishes the page's state as `window.__tablestage`. */
export function exposeTestHook(
  view: 'gm' | 'player',
  store: SessionStore,
  renderer: () => StageRenderer | undefined,
  thumbnails?: ThumbnailMaker,
): void {
  window.__tablestage = {
    view,
    props: () => store.props.get(),
    sceneId: () => store.sceneId.get(),
    live: () => store.live.get(),
    store,
    renderer,
    ...(thumbnails ? { thumbnails } : {}),
  };
}
