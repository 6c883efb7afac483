/**
 * Blob keys and values as both sides of the room ↔ app server contract
 * check them: a key must belong to a channel a plugin declared, the value
 * must fit the channel's size and pass its content check, a scene holds at
 * most `maxKeys` keys per channel, and `audience: 'gm'` channels never reach
 * players. Pure code (no Node or workerd API), so the room, the app server
 * and tests share exactly one rule.
 */
import { checkBlob, type ChannelInfo, type Registry } from '../schema';

/** A blob refused, with the reason a person can act on. */
export interface BlobRefusal {
  readonly key: string;
  readonly reason: string;
}

/** The declared channel `key` belongs to, or why it belongs to none. */
export function blobKeyChannel(
  registry: Registry,
  key: string,
): { ok: true; channel: ChannelInfo } | { ok: false; reason: string } {
  const channel = registry.channelOf(key);
  if (!channel)
    return {
      ok: false,
      reason: `"${key}" belongs to no declared binary channel (declared prefixes: ${
        registry.channels.map((c) => c.decl.prefix).join(', ') || 'none'
      })`,
    };
  if (!channel.decl.key.test(key.slice(channel.decl.prefix.length)))
    return { ok: false, reason: `${channel.id}: "${key}" is not a valid key of this channel` };
  return { ok: true, channel };
}

/** Checks one blob (key, size, content); the reason names the key and the channel. */
export function checkBlobValue(
  registry: Registry,
  key: string,
  value: unknown,
): { ok: true; channel: ChannelInfo } | { ok: false; reason: string } {
  const owner = blobKeyChannel(registry, key);
  if (!owner.ok) return owner;
  if (!(value instanceof Uint8Array))
    return { ok: false, reason: `${owner.channel.id}: "${key}" is not bytes` };
  const checked = checkBlob(owner.channel, key, value);
  return checked.ok ? owner : checked;
}

/**
 * The first channel a scene's key set holds more keys of than it allows.
 * `keys` is the complete set of the scene's blob keys after a change.
 */
export function channelOverLimit(registry: Registry, keys: Iterable<string>): BlobRefusal | undefined {
  const counts = new Map<ChannelInfo, number>();
  for (const key of keys) {
    const channel = registry.channelOf(key);
    if (!channel) continue;
    const n = (counts.get(channel) ?? 0) + 1;
    counts.set(channel, n);
    if (n > channel.decl.maxKeys)
      return {
        key,
        reason: `${channel.id}: "${key}" would be key ${n} of this channel in the scene; at most ${channel.decl.maxKeys} are allowed`,
      };
  }
  return undefined;
}

/** True when players may receive the blob under `key`: a declared channel whose audience is not `gm`. */
export function playerMayReceiveBlob(registry: Registry, key: string): boolean {
  const owner = blobKeyChannel(registry, key);
  return owner.ok && owner.channel.decl.audience !== 'gm';
}

/**
 * The blobs of a stored scene a viewer may receive: only valid values of
 * declared channels (a channel removed from the schema, or data written
 * before its limits, stays in the DB but is served to nobody), and for
 * players no `audience: 'gm'` channel. Keeps at most `maxKeys` per channel.
 */
export function servableBlobs<V extends Uint8Array>(
  registry: Registry,
  blobs: Readonly<Record<string, V>>,
  view: 'gm' | 'player',
  onRefused?: (refusal: BlobRefusal) => void,
): Record<string, V> {
  const out: Record<string, V> = {};
  const counts = new Map<ChannelInfo, number>();
  for (const [key, value] of Object.entries(blobs)) {
    const checked = checkBlobValue(registry, key, value);
    if (!checked.ok) {
      onRefused?.({ key, reason: checked.reason });
      continue;
    }
    const n = (counts.get(checked.channel) ?? 0) + 1;
    if (n > checked.channel.decl.maxKeys) {
      onRefused?.({ key, reason: `${checked.channel.id}: more than ${checked.channel.decl.maxKeys} keys` });
      continue;
    }
    counts.set(checked.channel, n);
    if (view === 'player' && checked.channel.decl.audience === 'gm') continue;
    out[key] = value;
  }
  return out;
}
