/** Signed access tokens (GM / player) shared by the app server and the PartyKit rooms. */
export {
  signToken,
  verifyToken,
  FIRST_LINK_VERSION,
  isCurrentLink,
  type LinkVersions,
  type Role,
  type TokenClaims,
  type TokenFailure,
  type VerifyResult,
} from './tokens';
export {
  signTicket,
  verifyTicket,
  TICKET_TTL_SECONDS,
  type RoomParty,
  type RoomTarget,
  type TicketClaims,
  type TicketResult,
} from './tickets';
