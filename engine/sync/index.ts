/**
 * Client and shared sync: the Y.js document layout (used by the room server
 * too), the change classifier, and the client's PartyDataManager.
 */
export {
  DOC_KEYS,
  SCENE_KEYS,
  SESSION_META_KEYS,
  PARTY_STATE_KEYS,
  getScenesMap,
  getScenesList,
  getSessionMeta,
  getPartyState,
  getSceneMap,
  getOrCreateSceneMap,
  ensureSceneContainers,
  syncedGroups,
  getSceneName,
  setSceneName,
  getBlobs,
  readSceneProps,
  readGroup,
  readMember,
  readCollection,
  writeSceneProps,
  setPath,
  getPath,
  deleteMember,
  defaultOf,
  sameValue,
  setOwn,
  isGmOnlyProp,
  isGmOnlyMember,
  type YMap,
  type WriteOptions,
} from './docLayout';
export { changesOf, type DocChange } from './docChanges';
export {
  upgradeDoc,
  recordVersions,
  storedVersions,
  currentVersions,
  type SchemaVersions,
} from './upgradeDoc';
export {
  PartyDataManager,
  type PartyDataManagerOptions,
  type ConnectionState,
  type ConnectionStatus,
  type SyncEvent,
  type SaveState,
} from './PartyDataManager';
export type { QueueResult } from './sceneStore';
export type { Cursor, CursorUser } from './cursors';
export type { PartyState } from './partyState';
export type { SceneSummary } from './sceneList';
export type { KeyValueStorage } from './localState';
export { Broadcaster, type Clock } from './broadcaster';
export { reconcile, applyOverlay, type OverlayEntry } from './snapshots';
export { checkSceneDrift, detectDrift, sceneLastUpdated } from './drift';
export { readHold, type HoldView } from './hold';
export { readPartyState, writePartyState, observePartyState } from './partyState';
export {
  listScenes,
  orderedSceneIds,
  addScene,
  renameScene,
  moveScene,
  duplicateScene,
  deleteScene,
  checkSceneName,
  newSceneId,
} from './sceneList';
export { createDebug, debugEnabled, type DebugLog } from './debug';
export { DISPLAY_FIELD, checkDisplayReport, reportDisplay, readDisplayReports } from './displays';
