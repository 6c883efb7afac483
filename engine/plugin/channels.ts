/**
 * How the editor holds a binary channel's values decoded. The schema
 * declares the channel (prefix, key pattern, limits: `engine/schema/channels.ts`);
 * the plugin's runtime supplies this model, so the editor keeps one decoded
 * state per channel without knowing what the bytes mean.
 */
export interface ChannelModel<M> {
  /** A fresh, empty state (a scene without any value of this channel). */
  create(): M;
  /**
   * Folds one stored value into the state: `bytes` is the key's new value,
   * `undefined` when the key was deleted. `key` includes the channel's prefix.
   * May throw on undecodable bytes; the host then reports the key and skips it.
   */
  apply(state: M, key: string, bytes: Uint8Array | undefined): void;
}

/** Changes a tool makes to a channel: key (with prefix) → new bytes, or `null` to delete the key. */
export type ChannelChanges = ReadonlyMap<string, Uint8Array | null>;

/** Declares a channel model with its state type; the identity function that gives it types. */
export function defineChannelModel<M>(model: ChannelModel<M>): ChannelModel<M> {
  return model;
}
