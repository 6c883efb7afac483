/** The editor's typed client of the app server API, its errors, and the browser's token store. */
export { ApiClient, type ApiClientOptions } from './client';
export { ApiError, kindOfStatus, type ApiErrorKind } from './errors';
export {
  peekToken,
  tokenProblem,
  tokenStore,
  type PeekedClaims,
  type PartyTokens,
  type TokenProblem,
} from './tokens';
export type {
  CreatedParty,
  GameSession,
  Party,
  PartyLinks,
  Role,
  SceneSummary,
  SessionLoad,
  Uploaded,
} from './types';
