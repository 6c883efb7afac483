/**
 * Binary channels: keyed byte values a plugin stores in a scene's `blobs`
 * map (fog tiles, drawing strokes…). A plugin declares each channel in its
 * schema file; the room and the app server accept only keys of a declared
 * channel and enforce its limits, so binary data is as typed as properties.
 */

/** One binary channel of a plugin, declared in its schema under `channels`. */
export interface ChannelDecl {
  /** Key prefix in the scene's blobs (e.g. `fog/`); ends with `/` and is unique across plugins. */
  readonly prefix: string;
  /** What may follow the prefix (e.g. `/^-?\d{1,6}_-?\d{1,6}$|^default$/`); anchor it. */
  readonly key: RegExp;
  /** Largest value accepted, in bytes. */
  readonly maxBytes: number;
  /** Most keys of this channel one scene may hold. */
  readonly maxKeys: number;
  /**
   * Checks a value's content (pure, no I/O: it runs in the room and the app
   * server). Returns why the bytes are not a valid value, or `undefined`.
   */
  readonly validate?: (bytes: Uint8Array, key: string) => string | undefined;
  /** `gm`: players never receive this channel's values (as for properties). */
  readonly audience?: 'all' | 'gm';
}

/** A declared channel with the plugin that owns it. */
export interface ChannelInfo {
  /** `plugin.channel`, used in messages. */
  readonly id: string;
  readonly plugin: string;
  readonly name: string;
  readonly decl: ChannelDecl;
}

const PREFIX = /^[a-z][a-zA-Z0-9]*\/$/;

/** Why a channel declaration is unusable, or `undefined`. */
export function channelDeclProblem(decl: ChannelDecl): string | undefined {
  if (typeof decl !== 'object' || decl === null) return 'a channel must be an object';
  if (typeof decl.prefix !== 'string' || !PREFIX.test(decl.prefix))
    return `prefix ${JSON.stringify(decl.prefix)} must be a camelCase word followed by "/"`;
  if (!(decl.key instanceof RegExp)) return 'key must be a regular expression';
  if (!Number.isInteger(decl.maxBytes) || decl.maxBytes < 1 || decl.maxBytes > 1024 * 1024)
    return 'maxBytes must be an integer from 1 to 1048576';
  if (!Number.isInteger(decl.maxKeys) || decl.maxKeys < 1 || decl.maxKeys > 100_000)
    return 'maxKeys must be an integer from 1 to 100000';
  if (decl.audience !== undefined && decl.audience !== 'all' && decl.audience !== 'gm')
    return 'audience must be "all" or "gm"';
  return undefined;
}

/** Checks one blob against its channel: the key's shape, the size and the content. */
export function checkBlob(
  channel: ChannelInfo,
  key: string,
  bytes: Uint8Array,
): { ok: true } | { ok: false; reason: string } {
  const rest = key.slice(channel.decl.prefix.length);
  if (!key.startsWith(channel.decl.prefix) || !channel.decl.key.test(rest))
    return { ok: false, reason: `${channel.id}: "${key}" is not a valid key of this channel` };
  if (bytes.byteLength > channel.decl.maxBytes)
    return {
      ok: false,
      reason: `${channel.id}: "${key}" is ${bytes.byteLength} bytes, more than the ${channel.decl.maxBytes} allowed`,
    };
  const problem = channel.decl.validate?.(bytes, key);
  return problem ? { ok: false, reason: `${channel.id}: "${key}": ${problem}` } : { ok: true };
}
