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
