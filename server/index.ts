/** The Node app server: HTTP API over the database, tokens, uploads, demo seed. */
export {
  createApp,
  startAppServer,
  DEFAULT_MAX_UPLOAD_BYTES,
  type AppOptions,
  type RunningAppServer,
} from './app';
export { bootAppServer, describeStartError, type BootedAppServer } from './boot';
export {
  loadConfig,
  loadOrCreateSecrets,
  DEFAULT_APP_PORT,
  DEFAULT_EDITOR_PORT,
  DEFAULT_PARTYKIT_PORT,
  type AppConfig,
  type Secrets,
} from './config';
export { partyLinks, type PartyLinks } from './links';
export { seedDemo, demoSceneProps, SeedError, type SeedResult } from './seed';
export { HttpError, type ErrorBody } from './errors';
export { reloadRoomScenes, type RoomReloadResult } from './roomControl';
export { sniffFormat, MEDIA_FORMATS, type MediaFormat } from './uploads';
export { encodePng, drawMapPng } from './png';
