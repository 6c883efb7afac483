/**
 * Immutable StageProps snapshots with structural sharing (immer): a group or
 * collection member whose values did not change keeps its object identity
 * from one snapshot to the next, so Lit and the render systems can skip work
 * with a `===` test.
 */
import { freeze, produce, type Draft } from 'immer';
import type { Registry } from '../schema';
import type { StageProps, View } from '../generated/stageProps';
import { defaultOf, readGroup, readMemberIn, readSceneProps, sameValue, type YMap } from './docLayout';

type Tree = Record<string, Record<string, unknown>>;
type Members = Record<string, Record<string, unknown>>;

/**
 * Returns `next` as an immutable snapshot that reuses every group and member
 * of `prev` that is equal in value; returns `prev` itself when nothing
 * changed. (Member ids cannot be `__proto__`: the registry's entity ids start
 * with a letter or digit, so plain assignment is safe here.)
 */
export function reconcile(prev: StageProps | undefined, next: StageProps, registry: Registry): StageProps {
  if (!prev) return freeze(next, true);
  return produce(prev, (draft: Draft<StageProps>) => {
    const d = draft as unknown as Tree;
    const p = prev as unknown as Tree;
    const n = next as unknown as Tree;
    for (const plugin of registry.scenePlugins)
      if (!sameValue(p[plugin.key], n[plugin.key])) d[plugin.key] = n[plugin.key]!;
    for (const collection of registry.collections) {
      const before = (p[collection.key] ?? {}) as Members;
      const after = (n[collection.key] ?? {}) as Members;
      const target = d[collection.key] as Members;
      for (const id of Object.keys(before)) if (!Object.hasOwn(after, id)) delete target[id];
      for (const [id, member] of Object.entries(after))
        if (!Object.hasOwn(before, id) || !sameValue(before[id], member)) target[id] = member;
    }
  });
}

/** A value to show at a StageProps path instead of the document's. */
export interface OverlayEntry {
  readonly path: readonly string[];
  readonly value: unknown;
}

/**
 * Applies overlay values (local-only state, edits not yet sent, focused
 * controls) on top of a document snapshot. A collection member that only the
 * overlay knows about (created locally, not yet flushed) starts from its
 * defaults. Unchanged parts keep their identity.
 */
export function applyOverlay(
  base: StageProps,
  entries: Iterable<OverlayEntry>,
  registry: Registry,
): StageProps {
  return produce(base, (draft: Draft<StageProps>) => {
    const d = draft as unknown as Tree;
    for (const { path, value } of entries) {
      const prop = registry.byPath(path);
      if (!prop) continue;
      let group = d[path[0]!]!;
      if (path.length === 3) {
        const members = group as Members;
        if (!Object.hasOwn(members, path[1]!)) {
          const fresh: Record<string, unknown> = {};
          for (const p of prop.plugin.props) fresh[p.key] = defaultOf(p);
          members[path[1]!] = fresh;
        }
        group = members[path[1]!]!;
      }
      if (!sameValue(group[prop.key], value)) group[prop.key] = value;
    }
  });
}

/** The parts of a scene a batch of transactions touched; `all` re-reads everything. */
export interface Touched {
  all: boolean;
  readonly groups: Set<string>;
  /** Collection key → member ids. */
  readonly members: Map<string, Set<string>>;
}

export function touchedNothing(): Touched {
  return { all: false, groups: new Set(), members: new Map() };
}

/**
 * Brings a document snapshot up to date by re-reading only what was touched
 * (a marker drag re-reads one member, not the whole scene); falls back to a
 * full read when `prev` is missing or `touched.all` is set.
 */
export function refreshSnapshot(
  prev: StageProps | undefined,
  sceneMap: YMap,
  touched: Touched,
  registry: Registry,
  view: View,
): StageProps {
  if (!prev || touched.all) return reconcile(prev, readSceneProps(sceneMap, registry, view), registry);
  return produce(prev, (draft: Draft<StageProps>) => {
    const d = draft as unknown as Tree;
    for (const key of touched.groups) {
      const plugin = registry.plugin(key);
      if (!plugin || plugin.attachTo !== 'scene') continue;
      const group = readGroup(sceneMap, plugin, view);
      if (!sameValue((prev as unknown as Tree)[key], group)) d[key] = group;
    }
    for (const [key, ids] of touched.members) {
      const collection = registry.collection(key);
      if (!collection) continue;
      const before = (prev as unknown as Tree)[key] as Members;
      const target = d[key] as Members;
      for (const id of ids) {
        const member = readMemberIn(sceneMap, collection, id, view);
        if (!member) {
          if (Object.hasOwn(before, id)) delete target[id];
        } else if (!Object.hasOwn(before, id) || !sameValue(before[id], member)) target[id] = member;
      }
    }
  });
}
