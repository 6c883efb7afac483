/** Signed access tokens (GM / player) shared by the app server and the PartyKit rooms. */
export {
  signToken,
  verifyToken,
  DEFAULT_TOKEN_TTL_SECONDS,
  type Role,
  type TokenClaims,
  type TokenFailure,
  type VerifyResult,
} from './tokens';
