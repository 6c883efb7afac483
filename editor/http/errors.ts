/**
 * What went wrong with a request, in the terms a person can act on:
 * `unreachable` (no answer: the server is down or the network is gone),
 * `unauthorized` (missing, bad or expired token: the link is no good),
 * `forbidden` (a valid token that may not do this), `not-found` (the party,
 * session or scene is gone), `invalid` (bad input, `field` names it), and
 * `server` (the server failed).
 */
export type ApiErrorKind = 'unreachable' | 'unauthorized' | 'forbidden' | 'not-found' | 'invalid' | 'server';

/** A failed API call; `message` is the server's own explanation when it gave one. */
export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status = 0,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Maps an HTTP status to the kind of problem it means for the user. */
export function kindOfStatus(status: number): ApiErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status >= 400 && status < 500) return 'invalid';
  // A proxy answering 502/503/504 means the app server behind it is not there.
  if (status === 502 || status === 503 || status === 504) return 'unreachable';
  return 'server';
}
