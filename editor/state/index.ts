/**
 * The editor's state: the signals store over PartyDataManager (also the
 * inspector's PropertySink), the tools and their host interface, the
 * registered plugin runtimes, the viewport ↔ view-properties mapping, this browser's user, and the test hook.
 */
export { SessionStore, type InitialScene, type SceneEntry } from './session-store';
export { createToolHost, hoverTool, startGesture, toolPointer, wheelViewport, type ToolHost } from './tools';
export {
  PLUGINS,
  TOOLS,
  TOOL_PATH,
  VIEW_GROUP,
  activeTool,
  toolById,
  toolList,
  type ToolInfo,
} from './plugins';
export { ChannelStates } from './channels';
export { viewportEdits, viewportOf } from './viewport';
export { decodeBlobs, readBlobs, observeBlobs } from './blobs';
export { localUser, type LocalUser } from './user';
export { exposeTestHook, type TablestageHook } from './test-hook';
