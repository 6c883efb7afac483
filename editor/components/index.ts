/**
 * The editor's Lit components (each module defines its element when
 * imported): viewport, scene list, toolbar, inspector column, status bar,
 * drift banner, help panel, upload drop zone and full-page error screen.
 */
export { StageView, type RendererReadyEvent } from './stage-view';
export { SceneList, type SceneItem, type SceneListDetail } from './scene-list';
export { ToolBar, type EditorCommand } from './tool-bar';
export { InspectorColumn } from './inspector-column';
export { StatusBar, type ConnectionState, type SaveStatus } from './status-bar';
export { DriftBanner } from './drift-banner';
export { HelpPanel, SHORTCUTS } from './help-panel';
export { UploadDrop } from './upload-drop';
export { ErrorScreen, problemOf, type ProblemKind } from './error-screen';
export { sharedStyles } from './styles';
