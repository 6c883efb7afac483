/**
 * Runs the room plugins' hooks (`engine/plugin/room.ts`) at the points of
 * the room's pipeline: `onChange` after the registry's repairs of a client
 * change, `projectForPlayer` while the projection is written, `beforeSave`
 * on each save body. Plugins run in priority order (higher first, then list
 * order), each only for its own plugin's data. Every call is guarded: a
 * throwing hook is logged with its plugin's name and treated as having no
 * opinion — except in the projection, where it hides the item.
 */
import * as Y from 'yjs';
import { checkBlobValue, type SceneSaveDraft } from '../../engine/contract';
import {
  byPriority,
  playerDecision,
  type PlayerDecision,
  type PlayerItem,
  type RoomPlugin,
  type SavePart,
} from '../../engine/plugin';
import { checkValue, type PluginInfo, type Registry } from '../../engine/schema';
import { readMember, sameValue, type YMap } from '../../engine/sync/docLayout';
import { fromBase64, toBase64 } from './saveLoop';
import { sceneKeyKind, type Previous } from './sceneRules';

/** A part of a scene the registry just checked after a client change (what the tracker reports). */
export type CheckedPart =
  | {
      /** A scene group's map, or one member's map (`member` set). */
      readonly kind: 'props';
      readonly sceneId: string;
      readonly plugin: PluginInfo;
      readonly target: YMap;
      /** The Y.js keys the client wrote; undefined: the whole map is new. */
      readonly keys?: readonly string[];
      readonly previous?: Previous;
      readonly member?: { readonly id: string; readonly created: boolean };
    }
  | {
      readonly kind: 'members';
      readonly sceneId: string;
      readonly plugin: PluginInfo;
      readonly target: YMap;
      readonly ids?: readonly string[];
    }
  | {
      readonly kind: 'blobs';
      readonly sceneId: string;
      readonly target: YMap;
      readonly keys?: readonly string[];
      readonly previous?: Previous;
    }
  /** A whole scene, or one of its containers (`key`), was replaced. */
  | { readonly kind: 'scene'; readonly sceneId: string; readonly scene: YMap; readonly key?: string };

export type { PlayerDecision };

type HookName = 'onChange' | 'projectForPlayer' | 'beforeSave';

/** See the module comment. */
export class RoomHooks {
  private readonly ordered: readonly RoomPlugin[];

  constructor(
    private readonly registry: Registry,
    plugins: readonly RoomPlugin[],
    private readonly log: (message: string, error?: unknown) => void = (m, e) =>
      e === undefined ? console.warn(m) : console.error(m, e),
  ) {
    this.ordered = byPriority(plugins);
    // Codegen already refuses such a folder; a hand-made list (tests) gets told why its hooks never run.
    for (const p of plugins)
      if (!registry.plugin(p.name))
        this.log(`room plugin "${p.name}" names no schema plugin: its hooks never run`);
  }

  private with(name: string, hook: HookName): RoomPlugin[] {
    return this.ordered.filter((p) => p.name === name && p[hook] !== undefined);
  }

  /** Calls a hook; a throw is logged with the plugin's name and becomes `failed`. */
  private call<T>(plugin: RoomPlugin, hook: HookName, fn: () => T): { ok: true; value: T } | { ok: false } {
    try {
      return { ok: true, value: fn() };
    } catch (e) {
      this.log(`room plugin "${plugin.name}": ${hook} threw; the room carries on without it`, e);
      return { ok: false };
    }
  }

  // ── onChange ────────────────────────────────────────────────────────────

  /** Runs `onChange` for a checked part (inside the room's transaction). Returns the number of repairs. */
  afterRepair(part: CheckedPart): number {
    switch (part.kind) {
      case 'props':
        return this.onProps(part);
      case 'members': {
        let repairs = 0;
        for (const id of part.ids ?? [...part.target.keys()]) {
          const member = part.target.get(id);
          if (member instanceof Y.Map)
            repairs += this.onProps({
              kind: 'props',
              sceneId: part.sceneId,
              plugin: part.plugin,
              target: member as YMap,
              member: { id, created: true },
            });
        }
        return repairs;
      }
      case 'blobs':
        return this.onBlobs(part.sceneId, part.target, part.keys, part.previous);
      case 'scene':
        return this.onScene(part.sceneId, part.scene, part.key);
    }
  }

  private onScene(sceneId: string, scene: YMap, only?: string): number {
    let repairs = 0;
    const keys = only !== undefined ? [only] : [...scene.keys()];
    for (const key of keys) {
      const kind = sceneKeyKind(this.registry, key);
      const map = scene.get(key);
      if (!kind || !(map instanceof Y.Map)) continue;
      if (kind.kind === 'blobs') repairs += this.onBlobs(sceneId, map as YMap);
      else if (kind.kind === 'group')
        repairs += this.onProps({ kind: 'props', sceneId, plugin: kind.plugin, target: map as YMap });
      else if (kind.kind === 'collection')
        repairs += this.afterRepair({ kind: 'members', sceneId, plugin: kind.plugin, target: map as YMap });
    }
    return repairs;
  }

  private onProps(part: Extract<CheckedPart, { kind: 'props' }>): number {
    const { plugin, target: map, member, previous } = part;
    const hooks = this.with(plugin.name, 'onChange');
    if (!hooks.length) return 0;
    const written = new Set(part.keys ?? map.keys());
    const changed = plugin.props.filter((p) => !p.localOnly && written.has(p.yjsKey));
    if (!changed.length && !member?.created) return 0;
    let repairs = 0;
    for (const room of hooks) {
      const values = readMember(map, plugin, 'gm');
      const change = member
        ? {
            kind: 'member' as const,
            sceneId: part.sceneId,
            id: member.id,
            values,
            changed: changed.map((p) => p.key),
            created: member.created,
          }
        : { kind: 'group' as const, sceneId: part.sceneId, values, changed: changed.map((p) => p.key) };
      const result = this.call(room, 'onChange', () => room.onChange!(change));
      const verdict = result.ok ? result.value : undefined;
      if (!verdict) continue;
      if (!verdict.ok) {
        this.log(`room plugin "${room.name}" refused a change in scene ${part.sceneId}: ${verdict.reason}`);
        const parent = map.parent;
        if (member?.created && parent instanceof Y.Map) {
          parent.delete(member.id);
          return repairs + 1;
        }
        for (const prop of changed) {
          const before = previous?.get(prop.yjsKey);
          const old = before === undefined ? undefined : checkValue(prop.decl, before);
          if (old?.ok) map.set(prop.yjsKey, old.value);
          else map.delete(prop.yjsKey);
          repairs++;
        }
        return repairs;
      }
      for (const [key, value] of Object.entries(verdict.set ?? {})) {
        const prop = plugin.props.find((p) => p.key === key && !p.localOnly);
        const checked = prop ? checkValue(prop.decl, value) : undefined;
        if (!prop || !checked?.ok) {
          this.log(
            `room plugin "${room.name}": repair of "${key}" ignored: ${checked && !checked.ok ? checked.reason : 'no such property'}`,
          );
          continue;
        }
        // An unchanged value is not written: a hook that always answers `set` costs nothing.
        if (sameValue(map.get(prop.yjsKey), checked.value)) continue;
        map.set(prop.yjsKey, checked.value);
        repairs++;
      }
    }
    return repairs;
  }

  private onBlobs(sceneId: string, map: YMap, keys?: readonly string[], previous?: Previous): number {
    let repairs = 0;
    for (const key of keys ?? [...map.keys()]) {
      const channel = this.registry.channelOf(key);
      const bytes = map.get(key);
      if (!channel || !(bytes instanceof Uint8Array)) continue;
      for (const room of this.with(channel.plugin, 'onChange')) {
        const change = { kind: 'blob' as const, sceneId, channel: channel.name, key, bytes };
        const result = this.call(room, 'onChange', () => room.onChange!(change));
        const verdict = result.ok ? result.value : undefined;
        if (!verdict || verdict.ok) continue;
        this.log(`room plugin "${room.name}" refused blob "${key}" in scene ${sceneId}: ${verdict.reason}`);
        const before = previous?.get(key);
        if (before !== undefined && checkBlobValue(this.registry, key, before).ok) map.set(key, before);
        else map.delete(key);
        repairs++;
        break;
      }
    }
    return repairs;
  }

  // ── projectForPlayer ────────────────────────────────────────────────────

  /** True when some plugin may have an opinion about what players receive of `pluginName`'s data. */
  projects(pluginName: string): boolean {
    return this.with(pluginName, 'projectForPlayer').length > 0;
  }

  /** What players receive of an item of `pluginName`'s data; the most hiding verdict wins. */
  forPlayer(pluginName: string, item: PlayerItem): PlayerDecision {
    return playerDecision(this.ordered, pluginName, item, (room, e) =>
      this.log(`room plugin "${room.name}": projectForPlayer threw; the item is hidden from players`, e),
    );
  }

  // ── beforeSave ──────────────────────────────────────────────────────────

  /** Lets each plugin adjust or veto its part of a save body; other parts are never touched. */
  beforeSave(sceneId: string, draft: SceneSaveDraft): SceneSaveDraft {
    let body = draft;
    for (const room of this.ordered) {
      if (!room.beforeSave) continue;
      const plugin = this.registry.plugin(room.name);
      const part = plugin && savePart(this.registry, plugin, sceneId, body);
      if (!part) continue;
      const result = this.call(room, 'beforeSave', () => room.beforeSave!(part));
      const verdict = result.ok ? result.value : undefined;
      if (!verdict) continue;
      if (!verdict.ok) {
        this.log(
          `room plugin "${room.name}" kept its part out of the save of scene ${sceneId}: ${verdict.reason}`,
        );
        body = withPart(this.registry, plugin, body, {});
        continue;
      }
      body = withPart(this.registry, plugin, body, {
        columns: verdict.columns ?? part.columns,
        members: verdict.members ?? part.members,
        blobs: verdict.blobs ?? part.blobs,
      });
    }
    return body;
  }
}

function columnFields(plugin: PluginInfo): Set<string> {
  return new Set(plugin.props.flatMap((p) => p.columns.map((c) => c.field)));
}

/** The plugin's part of a save body, or undefined when the body carries none of it. */
function savePart(
  registry: Registry,
  plugin: PluginInfo,
  sceneId: string,
  body: SceneSaveDraft,
): SavePart | undefined {
  const fields = columnFields(plugin);
  const columns =
    plugin.attachTo === 'scene' && body.scene
      ? Object.fromEntries(Object.entries(body.scene).filter(([k]) => fields.has(k)))
      : undefined;
  const rows = plugin.attachTo === 'collection' ? body.collections?.[plugin.key] : undefined;
  const blobs = Object.entries(body.blobs ?? {}).filter(
    ([k]) => registry.channelOf(k)?.plugin === plugin.name,
  );
  const part: SavePart = {
    sceneId,
    ...(columns && Object.keys(columns).length ? { columns } : {}),
    ...(rows ? { members: rows as readonly Readonly<Record<string, unknown>>[] } : {}),
    ...(blobs.length
      ? { blobs: Object.fromEntries(blobs.map(([k, v]) => [k, v === null ? null : fromBase64(v)])) }
      : {}),
  };
  return part.columns || part.members || part.blobs ? part : undefined;
}

/** `body` with the plugin's part replaced by `part` (absent pieces removed). */
function withPart(
  registry: Registry,
  plugin: PluginInfo,
  body: SceneSaveDraft,
  part: Omit<SavePart, 'sceneId'>,
): SceneSaveDraft {
  const fields = columnFields(plugin);
  const scene = body.scene && {
    ...Object.fromEntries(Object.entries(body.scene).filter(([k]) => !fields.has(k))),
    ...Object.fromEntries(Object.entries(part.columns ?? {}).filter(([k]) => fields.has(k))),
  };
  const collections = body.collections && { ...body.collections };
  if (collections && plugin.attachTo === 'collection') {
    if (part.members) collections[plugin.key] = part.members;
    else delete collections[plugin.key];
  }
  const blobs: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(body.blobs ?? {}))
    if (registry.channelOf(k)?.plugin !== plugin.name) blobs[k] = v;
  for (const [k, v] of Object.entries(part.blobs ?? {})) {
    if (registry.channelOf(k)?.plugin !== plugin.name) continue;
    if (v === null || checkBlobValue(registry, k, v).ok) blobs[k] = v === null ? null : toBase64(v);
  }
  return {
    ...body,
    ...(scene ? { scene } : {}),
    ...(collections ? { collections } : {}),
    ...(body.blobs || part.blobs ? { blobs } : {}),
  };
}
