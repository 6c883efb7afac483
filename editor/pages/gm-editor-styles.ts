import { css } from 'lit';
import { sharedStyles } from '../components/styles';

/** The GM editor's layout: header, three columns (scenes, viewport, inspector), status line. */
export const gmEditorStyles = [
  sharedStyles,
  css`
    :host {
      display: grid;
      grid-template-rows: auto 1fr auto;
      height: 100vh;
      position: relative;
    }
    header {
      display: flex;
      gap: 0.75rem;
      align-items: center;
      padding: 0.4rem 0.75rem;
      border-bottom: 1px solid var(--ts-border);
      background: var(--ts-panel);
      flex-wrap: wrap;
    }
    .title {
      font-weight: 600;
    }
    .title small {
      font-weight: normal;
      opacity: 0.7;
    }
    .spacer {
      flex: 1;
    }
    main {
      display: grid;
      grid-template-columns: 15rem 1fr 21rem;
      min-height: 0;
    }
    aside {
      overflow-y: auto;
      border-right: 1px solid var(--ts-border);
      padding: 0 0.5rem;
    }
    ts-inspector-column {
      border-left: 1px solid var(--ts-border);
    }
    .stage {
      position: relative;
      min-height: 0;
    }
    /* Over the viewport, not above it: the canvas must not move under the GM's pointer. */
    ts-drift-banner {
      position: absolute;
      top: 0;
      left: 0;
      right: 0;
      z-index: 6;
    }
    ts-upload-drop,
    ts-stage-view {
      min-height: 0;
      height: 100%;
    }
    .paused {
      color: var(--ts-warn);
    }
  `,
];
