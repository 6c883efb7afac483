/**
 * The editor's state: the signals store over PartyDataManager (also the
 * inspector's PropertySink), the tools and their host interface, the
 * viewport ↔ view-properties mapping, this browser's user, and the test hook.
 */
export { SessionStore, type InitialScene, type SceneEntry } from './session-store';
export {
  TOOLS,
  TOOL_PATH,
  BRUSH_RADIUS_PX,
  positionProp,
  startGesture,
  wheelViewport,
  type Gesture,
  type MemberRef,
  type ToolHost,
  type ToolInfo,
} from './tools';
export { viewportEdits, viewportOf, VIEW_PLUGIN } from './viewport';
export { decodeBlobs, readBlobs, observeBlobs } from './blobs';
export { localUser, type LocalUser } from './user';
export { exposeTestHook, type TablestageHook } from './test-hook';
