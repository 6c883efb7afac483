import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An error a client can act on: the response is `{error, field?}` with this
 * status. Route code throws it; the app's error handler turns it into JSON.
 */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, field?: string) => new HttpError(400, message, field);
export const notFound = (what: string, id: string) => new HttpError(404, `${what} "${id}" does not exist`);

/** The JSON body every error response has. */
export interface ErrorBody {
  readonly error: string;
  readonly field?: string;
}

export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  error: string,
  field?: string,
): Response {
  const body: ErrorBody = field === undefined ? { error } : { error, field };
  // The rest of an oversized body is never read, so the connection cannot carry another request.
  if (status === 413) c.header('Connection', 'close');
  return c.json(body, status);
}
