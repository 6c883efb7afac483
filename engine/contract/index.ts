/**
 * The contract between the rooms (`partykit/`) and the app server
 * (`server/`): the internal API's request and response shapes and the blob
 * rules both sides enforce. Both sides import it; neither declares its own.
 */
export type { SceneSaveBody, SceneSaveDraft, SceneSave, WireBlob } from './sceneSave';
export { SCENE_SAVE_FIELDS } from './sceneSave';
export type { InternalScene, InternalSession, InternalPartyState } from './session';
export {
  blobKeyChannel,
  checkBlobValue,
  channelOverLimit,
  playerMayReceiveBlob,
  servableBlobs,
  type BlobRefusal,
} from './blobs';
