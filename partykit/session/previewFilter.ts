/**
 * Gesture previews (awareness field `p`, see engine/sync/previews.ts) on
 * their way out of the game-session room. The room relays awareness as
 * y-protocols does — the same bytes to everyone — so this filter rewrites an
 * outgoing awareness message per audience:
 *
 * - Previews in a state the room stamped as a player's are removed for
 *   everyone: players are read-only, their previews mean nothing.
 * - For player connections a preview is kept only when players could see
 *   the value anyway: a synced property of audience `all`, a valid value, in
 *   a scene of the projection, and — for a collection member — a member the
 *   projection holds now that would still be visible with the previewed
 *   value (a preview must not reveal a gm-only marker, nor a value that is
 *   about to hide one). Everything else is stripped.
 *
 * - For player connections, GM presence fields a scene plugin of the shown
 *   scene hides from players (`RoomPlugin.hideGmPresence`: GM cursors when
 *   the GM turned them off for the TV) are removed from GM states.
 *
 * Other messages pass through untouched; a rewritten message is computed
 * once per audience and reused for every connection of that audience. The
 * per-tick presence deltas are built from {@link PreviewFilter.stateFor}, the
 * same filter on a parsed state.
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Registry } from '../../engine/schema';
import type { PlayerItem } from '../../engine/plugin';
import {
  getSceneMap,
  isGmOnlyMember,
  isGmOnlyProp,
  readGroup,
  readMember,
} from '../../engine/sync/docLayout';
import { PREVIEW_FIELD, readPreviews, type PreviewWire } from '../../engine/sync/previews';
import { MESSAGE_AWARENESS } from '../core/messages';
import type { PlayerFilter } from './projection';

export type Audience = 'gm' | 'player';

const NO_FIELDS: ReadonlySet<string> = new Set();

interface Entry {
  readonly clientId: number;
  readonly clock: number;
  readonly state: string;
}

export class PreviewFilter {
  readonly #cache = new WeakMap<Uint8Array, Partial<Record<Audience, Uint8Array>>>();

  constructor(
    private readonly registry: Registry,
    /** The authoritative doc (member values, gm view). */
    private readonly full: Y.Doc,
    /** The player projection (what players may see). */
    private readonly view: Y.Doc,
    /** Room plugins' `projectForPlayer`: a preview must not show what they hide. */
    private readonly plugins?: PlayerFilter,
    /** True while players receive no previews at all (a backstage hold: the GMs' gestures are unpublished edits). */
    private readonly suppressed: () => boolean = () => false,
    /** Whether a GM's presence reveals a member now (reveals.ts), as the projection asks. */
    private readonly revealed: (pluginName: string, sceneId: string, id: string) => boolean = () => false,
    /** GM presence fields players do not receive now (`RoomPlugin.hideGmPresence`). */
    private readonly hiddenGmFields: () => ReadonlySet<string> = () => NO_FIELDS,
  ) {}

  /** True when a room plugin would hide the previewed value (or its whole item) from players. */
  #pluginHides(pluginName: string, item: PlayerItem, propKey: string): boolean {
    if (!this.plugins?.projects(pluginName)) return false;
    const decision = this.plugins.forPlayer(pluginName, item);
    return decision.hide || decision.hideValues.has(propKey);
  }

  /** The message as `audience` may receive it (the same object when nothing changes). */
  outgoing(message: Uint8Array, audience: Audience): Uint8Array {
    // y-protocols messages start with their type as a varuint; awareness is 1, a single byte.
    if (message[0] !== MESSAGE_AWARENESS) return message;
    let cached = this.#cache.get(message);
    if (!cached) this.#cache.set(message, (cached = {}));
    return (cached[audience] ??= this.#rewrite(message, audience));
  }

  /** True when players may see this preview (see the module comment). */
  visibleToPlayers(preview: PreviewWire): boolean {
    if (this.suppressed()) return false;
    const prop = this.registry.byPath(preview.k);
    if (!prop || prop.localOnly || isGmOnlyProp(prop)) return false;
    const checked = this.registry.validate(preview.k, preview.v);
    if (!checked.ok) return false;
    const viewScene = getSceneMap(this.view, preview.s);
    if (!viewScene) return false;
    if (preview.k.length !== 3) {
      const fullScene = getSceneMap(this.full, preview.s);
      if (!this.plugins?.projects(prop.plugin.name) || !fullScene) return true;
      const values = { ...readGroup(fullScene, prop.plugin, 'gm'), [prop.key]: checked.value };
      return !this.#pluginHides(prop.plugin.name, { kind: 'group', sceneId: preview.s, values }, prop.key);
    }
    const [collectionKey, memberId] = preview.k as [string, string, string];
    const collection = this.registry.collection(collectionKey);
    const viewMembers = viewScene.get(collectionKey);
    if (!collection || !(viewMembers instanceof Y.Map) || !viewMembers.has(memberId)) return false;
    const fullMembers = getSceneMap(this.full, preview.s)?.get(collectionKey);
    const memberMap = fullMembers instanceof Y.Map ? fullMembers.get(memberId) : undefined;
    if (!(memberMap instanceof Y.Map)) return false;
    const member = readMember(memberMap as Y.Map<unknown>, collection, 'gm');
    const values = { ...member, [prop.key]: checked.value };
    if (isGmOnlyMember(collection, values)) return false;
    return !this.#pluginHides(
      collection.name,
      {
        kind: 'member',
        sceneId: preview.s,
        id: memberId,
        values,
        revealed: this.revealed(collection.name, preview.s, memberId),
      },
      prop.key,
    );
  }

  #rewrite(message: Uint8Array, audience: Audience): Uint8Array {
    let entries: Entry[];
    try {
      const outer = decoding.createDecoder(message);
      decoding.readVarUint(outer);
      const decoder = decoding.createDecoder(decoding.readVarUint8Array(outer));
      const count = decoding.readVarUint(decoder);
      entries = [];
      for (let i = 0; i < count; i++)
        entries.push({
          clientId: decoding.readVarUint(decoder),
          clock: decoding.readVarUint(decoder),
          state: decoding.readVarString(decoder),
        });
    } catch {
      return message; // the room encoded it; never expected
    }
    let changed = false;
    const hidden = audience === 'player' ? this.hiddenGmFields() : NO_FIELDS;
    const out = entries.map((entry) => {
      const state = this.#filterState(entry.state, audience, hidden);
      if (state === entry.state) return entry;
      changed = true;
      return { ...entry, state };
    });
    if (!changed) return message;
    const update = encoding.createEncoder();
    encoding.writeVarUint(update, out.length);
    for (const e of out) {
      encoding.writeVarUint(update, e.clientId);
      encoding.writeVarUint(update, e.clock);
      encoding.writeVarString(update, e.state);
    }
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update));
    return encoding.toUint8Array(encoder);
  }

  /**
   * The state JSON with the previews `audience` may not see removed, and for
   * players the `hidden` fields of a GM's state (the same string when nothing is).
   */
  #filterState(json: string, audience: Audience, hidden: ReadonlySet<string>): string {
    // Cheap test first: most states (cursor moves without a gesture) carry no previews.
    const mayHide = [...hidden].some((field) => json.includes(`"${field}"`));
    if (!mayHide && !json.includes(`"${PREVIEW_FIELD}"`)) return json;
    let state: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(json);
      if (typeof parsed !== 'object' || parsed === null) return json;
      state = parsed as Record<string, unknown>;
    } catch {
      return json;
    }
    const filtered = this.#filterFields(state, audience, hidden);
    return filtered === state ? json : JSON.stringify(filtered);
  }

  /** A parsed presence state as `audience` may receive it (the same object when nothing is removed). */
  stateFor(state: Readonly<Record<string, unknown>>, audience: Audience): Readonly<Record<string, unknown>> {
    return this.#filterFields(state, audience, audience === 'player' ? this.hiddenGmFields() : NO_FIELDS);
  }

  #filterFields(
    state: Readonly<Record<string, unknown>>,
    audience: Audience,
    hidden: ReadonlySet<string>,
  ): Readonly<Record<string, unknown>> {
    const role = (state.user as Record<string, unknown> | undefined)?.role;
    let out: Record<string, unknown> | undefined;
    if (PREVIEW_FIELD in state) {
      const keep =
        role !== 'gm'
          ? []
          : audience === 'gm'
            ? undefined
            : readPreviews(state).filter((p) => this.visibleToPlayers(p));
      if (keep !== undefined) {
        out = { ...state };
        if (keep.length) out[PREVIEW_FIELD] = keep;
        else delete out[PREVIEW_FIELD];
      }
    }
    if (role === 'gm')
      for (const field of hidden)
        if (field in state) {
          out ??= { ...state };
          delete out[field];
        }
    return out ?? state;
  }
}
