/**
 * The application's pages. The app shell imports each module lazily (the
 * player view and home page do not pay for the inspector), so this index is
 * for readers and tests, not for the shell.
 */
export { HomePage } from './home-page';
export { GmEditorPage } from './gm-editor-page';
export { PlayerViewPage } from './player-view-page';
export { keyCommand, assetPropFor, uploadAccept, type KeyAction } from './gm-editor-keys';
export { resolveToken, loadSession, connectSession, type Loaded } from './session-loader';
export { uploadAsset, uploadMap } from './gm-editor-uploads';
