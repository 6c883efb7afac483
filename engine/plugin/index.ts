/**
 * The plugin runtime API: what `plugins/<name>/index.ts` declares beside
 * its schema (render module, draw order, tools, channel models, snapping,
 * help, drop targets), the scoped tool context its tools act through, and
 * the room half's entry point. Built-in plugins use only this and the
 * render host's API (`engine/render`).
 */
export {
  definePluginRuntime,
  type PluginRuntime,
  type HelpEntry,
  type DropTarget,
  type SnapProvider,
  type SnapOptions,
  type UserViewBinding,
  type PluginAction,
  type PauseCover,
  type PlacedFile,
  type PluginControl,
  type MemberFocus,
} from './runtime';
export {
  NO_GESTURE,
  type ToolDefinition,
  type ToolContext,
  type ToolGesture,
  type ToolPointer,
  type ChannelHandle,
  type DisplayReport,
  type MemberRef,
  type PreviewShape,
  type ToolKey,
  type WriteResult,
} from './tools';
export { defineChannelModel, type ChannelModel, type ChannelChanges } from './channels';
export { toolContexts, type ToolHostBackend } from './toolContext';
export { panGesture, HOLD_MS, HOLD_SLOP_PX } from './gestures';
// Room hooks (the room's pipeline: engine/plugin/room.ts).
export {
  defineRoomPlugin,
  DEFAULT_ROOM_PRIORITY,
  type RoomPlugin,
  type RoomChange,
  type ChangeVerdict,
  type PlayerItem,
  type PlayerVerdict,
  type SavePart,
  type SaveVerdict,
  type Area,
  type Occlusion,
  type OcclusionChange,
  type OcclusionScene,
  type PresenceReveal,
} from './room';
export {
  definePluginPresence,
  playersMayPublish,
  presenceWire,
  readPresenceWire,
  type PluginPresence,
  type PresenceEntry,
  type PresenceSender,
  type PresenceWire,
} from './presence';
export { playerDecision, byPriority, SHOW, type PlayerDecision } from './playerView';
