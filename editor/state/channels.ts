import type { ChannelModel, PluginRuntime } from '../../engine/plugin';
import type { ChannelInfo, Registry } from '../../engine/schema';

/**
 * The decoded state of every declared binary channel whose plugin supplies a
 * model, kept in step with the scene's blobs. Generic: the plugin's model
 * says what the bytes mean.
 */
export class ChannelStates {
  #states = new Map<string, unknown>();
  readonly #models = new Map<string, ChannelModel<unknown>>();

  constructor(
    private readonly registry: Registry,
    runtimes: readonly PluginRuntime[],
    /** Told about values a model could not decode (they are skipped). */
    private readonly onError: (key: string, error: Error) => void = () => {},
  ) {
    for (const c of registry.channels) {
      const model = runtimes.find((r) => r.name === c.plugin)?.channels?.[c.name];
      if (model) this.#models.set(c.id, model);
    }
  }

  /** Starts over from a whole set of blobs (a scene switch, a reload). */
  reset(blobs: Iterable<[string, Uint8Array]>): void {
    this.#states = new Map([...this.#models].map(([id, model]) => [id, model.create()]));
    for (const [key, bytes] of blobs) this.apply(key, bytes);
  }

  /** One blob changed (`undefined`: deleted). Keys of no channel, or of a channel without a model, are ignored. */
  apply(key: string, bytes: Uint8Array | undefined): void {
    const channel: ChannelInfo | undefined = this.registry.channelOf(key);
    const model = channel && this.#models.get(channel.id);
    if (!channel || !model) return;
    try {
      model.apply(this.#states.get(channel.id), key, bytes);
    } catch (e) {
      this.onError(key, e as Error);
    }
  }

  /** A channel's decoded state by its id (`plugin.channel`). */
  state(channelId: string): unknown {
    return this.#states.get(channelId);
  }
}
