import type { PickHit, SceneRect, ScreenSize, ViewportTransform } from '../render';
import { checkBlob, type PluginInfo, type Point, type Registry } from '../schema';
import type { StageProps } from '../generated/stageProps';
import type { ChannelChanges } from './channels';
import type { PluginRuntime } from './runtime';
import type {
  ChannelHandle,
  DisplayReport,
  MemberRef,
  PreviewShape,
  ToolContext,
  WriteResult,
} from './tools';

/**
 * The editor's side of the tool host, unscoped: one per page. The editor
 * implements it over its session store and renderer; {@link toolContexts}
 * turns it into one {@link ToolContext} per plugin, which is all tools see.
 */
export interface ToolHostBackend {
  readonly registry: Registry;
  readonly runtimes: readonly PluginRuntime[];
  props(): StageProps;
  queuePropertyUpdate(path: readonly string[], value: unknown): WriteResult;
  beginEdit(path: readonly string[]): void;
  endEdit(path: readonly string[]): void;
  selection(): MemberRef | undefined;
  select(member: MemberRef | undefined): void;
  /** Adds a member to a collection (by its StageProps key); undefined when refused. */
  addMember(collection: string, values: Readonly<Record<string, unknown>>): string | undefined;
  removeMember(collection: string, id: string): WriteResult;
  /** The decoded state of a channel (by `ChannelInfo.id`), if its plugin supplies a model. */
  channelState(channelId: string): unknown;
  /** The stored values whose keys start with `prefix`. */
  blobEntries(prefix: string): [string, Uint8Array][];
  /** Writes blob changes in one transaction (one undo step). Keys are already checked. */
  writeBlobs(changes: ChannelChanges): WriteResult;
  preview(shape: PreviewShape | undefined): void;
  readonly viewport: ViewportTransform;
  setViewport(t: ViewportTransform): void;
  readonly content: ViewportTransform;
  screenSize(): ScreenSize;
  contentBounds(plugin?: string): SceneRect | undefined;
  displays(): readonly DisplayReport[];
  pick(screen: Point): PickHit | undefined;
  screenToScene(p: Point): Point;
  sceneToScreen(p: Point): Point;
  /** Publishes a plugin's presence value (null clears it); see `ToolContext.setPresence`. */
  setPresence(plugin: string, value: unknown): void;
}

const refuse = (reason: string): WriteResult => ({ ok: false, reason });

/**
 * One tool context per plugin over a backend, created on first use. A
 * context writes only its own plugin's properties, adds and removes members
 * only of its own plugin's collection, and reads and writes only its own
 * plugin's channels; a tool that needs another plugin's help asks for it
 * (`dragMember`, `snap`). Reading props, selection, the viewport, picking and
 * previews are shared.
 */
export function toolContexts(backend: ToolHostBackend): (plugin: string) => ToolContext | undefined {
  const made = new Map<string, ToolContext>();
  const contextOf = (name: string): ToolContext | undefined => {
    let ctx = made.get(name);
    const info = backend.registry.plugin(name);
    if (!ctx && info) {
      ctx = scopedContext(info, backend, contextOf);
      made.set(name, ctx);
    }
    return ctx;
  };
  return contextOf;
}

function scopedContext(
  plugin: PluginInfo,
  backend: ToolHostBackend,
  contextOf: (plugin: string) => ToolContext | undefined,
): ToolContext {
  const collection = plugin.attachTo === 'collection' ? plugin.key : undefined;
  const notMine = `${plugin.name} has no collection of its own`;
  // Property paths start with the plugin's key (its group, or its collection).
  const own = (path: readonly string[]): boolean => path[0] === plugin.key;
  const foreign = (path: readonly string[]) =>
    refuse(`${plugin.name}'s tools may write only its own properties, not ${path.join('.')}`);
  const handles = new Map<string, ChannelHandle<unknown>>();

  const handleFor = (name: string): ChannelHandle<unknown> | undefined => {
    const info = plugin.channels.find((c) => c.name === name);
    if (!info) return undefined;
    let handle = handles.get(name);
    if (!handle) {
      handle = {
        get state() {
          return backend.channelState(info.id);
        },
        entries: () => backend.blobEntries(info.decl.prefix),
        apply(changes) {
          for (const [key, bytes] of changes) {
            if (backend.registry.channelOf(key) !== info)
              return refuse(`${info.id}: "${key}" belongs to another channel`);
            if (bytes === null) continue;
            const checked = checkBlob(info, key, bytes);
            if (!checked.ok) return checked;
          }
          return changes.size === 0 ? { ok: true } : backend.writeBlobs(changes);
        },
      };
      handles.set(name, handle);
    }
    return handle;
  };

  return {
    plugin,
    props: () => backend.props(),
    queuePropertyUpdate: (path, value) =>
      own(path) ? backend.queuePropertyUpdate(path, value) : foreign(path),
    beginEdit: (path) => void (own(path) && backend.beginEdit(path)),
    endEdit: (path) => void (own(path) && backend.endEdit(path)),
    selection: () => backend.selection(),
    select: (m) => backend.select(m),
    addMember: (values) => (collection ? backend.addMember(collection, values) : undefined),
    removeMember: (id) => (collection ? backend.removeMember(collection, id) : refuse(notMine)),
    // The state's type is the model's, which the plugin declared beside its tools: the cast is the seam.
    channel: <M>(name: string) => handleFor(name) as ChannelHandle<M> | undefined,
    preview: (shape) => backend.preview(shape),
    get viewport() {
      return backend.viewport;
    },
    setViewport: (t) => backend.setViewport(t),
    get content() {
      return backend.content;
    },
    screenSize: () => backend.screenSize(),
    contentBounds: (plugin) => backend.contentBounds(plugin),
    displays: () => backend.displays(),
    pick: (screen) => backend.pick(screen),
    memberOf(hit) {
      const owner = backend.registry.plugin(hit.plugin);
      return owner?.attachTo === 'collection' ? { collection: owner.key, id: hit.id } : undefined;
    },
    dragMember(member, p) {
      const owner = backend.registry.collection(member.collection);
      const runtime = owner && backend.runtimes.find((r) => r.name === owner.name);
      const ctx = owner && contextOf(owner.name);
      return runtime?.memberDrag && ctx ? runtime.memberDrag(ctx, member.id, p) : undefined;
    },
    snap(p, options) {
      const props = backend.props();
      for (const r of backend.runtimes) {
        const snapped = r.snap?.(p, props, options);
        if (snapped) return snapped;
      }
      return p;
    },
    screenToScene: (p) => backend.screenToScene(p),
    sceneToScreen: (p) => backend.sceneToScreen(p),
    setPresence(value) {
      const presence = backend.runtimes.find((r) => r.name === plugin.name)?.presence;
      if (!presence) throw new Error(`${plugin.name} declares no presence`);
      if (value !== null && presence.read(value) === undefined)
        throw new Error(`${plugin.name}: presence value does not read valid`);
      backend.setPresence(plugin.name, value);
    },
  };
}
