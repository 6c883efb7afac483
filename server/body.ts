import type { Context } from 'hono';
import { isEntityId } from '../engine/schema';
import { badRequest } from './errors';

/** The request's JSON body as an object; 400 when it is not JSON or not an object. */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw badRequest('the request body must be JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('the request body must be a JSON object');
  return body as Record<string, unknown>;
}

export const MAX_NAME_LENGTH = 120;

/** A display name: a non-empty string of at most 120 characters, trimmed. */
export function checkName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string') throw badRequest(`${field} must be a string`, field);
  const name = value.trim();
  if (name === '') throw badRequest(`${field} must not be empty`, field);
  if (name.length > MAX_NAME_LENGTH)
    throw badRequest(`${field} is longer than ${MAX_NAME_LENGTH} characters`, field);
  return name;
}

/** Like checkName, but undefined stays undefined (the field was not sent). */
export function optionalName(value: unknown, field = 'name'): string | undefined {
  return value === undefined ? undefined : checkName(value, field);
}

/** An entity id (party, session, scene, member): the registry's id shape. */
export function checkId(value: unknown, field: string): string {
  if (!isEntityId(value))
    throw badRequest(
      `${field} must be an id (1-64 letters, digits, _ or -, starting with a letter or digit)`,
      field,
    );
  return value;
}

/** Refuses fields the endpoint does not know, so a typo is an error rather than silently ignored. */
export function onlyFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(body))
    if (!allowed.includes(key))
      throw badRequest(`unknown field "${key}" (expected ${allowed.join(', ')})`, key);
}
