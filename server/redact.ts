/**
 * Keeps credentials out of logs. Tokens travel in `?token=` query strings
 * (links a person opens; WebSocket URLs carry one-use `?ticket=`s, redacted
 * too, see engine/auth/tickets.ts) and the rooms call the app server with
 * `Authorization: Bearer <INTERNAL_SECRET>`; any log line that quotes a URL or
 * an error message can carry them, and logs end up in terminals, CI output
 * and bug reports.
 */
const TOKEN_PARAM = /([?&](?:token|ticket|access_token)=)[^&#\s"'<>]+/gi;
const BEARER = /(\bBearer\s+)[A-Za-z0-9._~+/=-]+/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g;

/** `text` with every token-looking credential replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  return text.replace(TOKEN_PARAM, '$1[redacted]').replace(BEARER, '$1[redacted]').replace(JWT, '[redacted]');
}
