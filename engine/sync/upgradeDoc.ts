/**
 * Upgrading a stored game-session document through the plugins' declared
 * migration steps (`engine/schema/migrations.ts`), the same steps the DB
 * migrator runs over rows. The room does this on start, before it serves or
 * saves anything, so it never writes an old key's value — or a default in
 * place of a renamed key — over the migrated DB.
 *
 * The document records the versions it holds in `gameSessionMeta`
 * (`schemaVersions`), written in the same transaction as the upgrade, so a
 * crash can never leave an upgraded document marked old (an `up` that ran
 * twice would transform a value twice).
 */
import * as Y from 'yjs';
import {
  checkValue,
  keysAtVersion,
  upgradeRecord,
  type MigrationRecord,
  type PluginInfo,
  type Registry,
} from '../schema';
import { SESSION_META_KEYS, getScenesMap, getSessionMeta, sameValue, type YMap } from './docLayout';
import { cloneValue } from './values';

/** Plugin name → schema version. */
export type SchemaVersions = Readonly<Record<string, number>>;

/** Today's version of every plugin. */
export function currentVersions(registry: Registry): SchemaVersions {
  return Object.fromEntries(registry.plugins.map((p) => [p.name, p.version]));
}

/**
 * The versions a stored document was written with. A document with scenes
 * but no record predates versioning (every plugin at 0); a plugin missing
 * from a record is new to the document (nothing of it is stored yet).
 */
export function storedVersions(doc: Y.Doc, registry: Registry): SchemaVersions {
  const recorded = getSessionMeta(doc).get(SESSION_META_KEYS.schemaVersions) as
    Record<string, unknown> | undefined;
  const hasScenes = getScenesMap(doc).size > 0;
  return Object.fromEntries(
    registry.plugins.map((p) => {
      const v = recorded?.[p.name];
      if (typeof v === 'number') return [p.name, v];
      return [p.name, recorded || !hasScenes ? p.version : 0];
    }),
  );
}

/** Y.Map key of a property key at an older version: today's `yjsKey`, or the key itself. */
function yjsKeyOf(plugin: PluginInfo, key: string): string {
  return plugin.props.find((p) => p.key === key)?.yjsKey ?? key;
}

/** Upgrades one group or member map in place (call inside a transaction). */
function upgradeMap(map: YMap, plugin: PluginInfo, from: number): void {
  const oldKeys = keysAtVersion(plugin.schema, from);
  const record: MigrationRecord = {};
  for (const key of oldKeys) {
    const yk = yjsKeyOf(plugin, key);
    if (map.has(yk)) record[key] = map.get(yk);
  }
  const upgraded = upgradeRecord(plugin.schema, from, record);
  const today = new Set<string>();
  for (const prop of plugin.props) {
    if (prop.localOnly) continue;
    today.add(prop.yjsKey);
    if (!Object.hasOwn(upgraded, prop.key)) {
      if (map.has(prop.yjsKey)) map.delete(prop.yjsKey);
      continue;
    }
    const checked = checkValue(prop.decl, upgraded[prop.key]);
    // A value the steps could not make valid reads as its default, as any invalid value does.
    if (!checked.ok) map.delete(prop.yjsKey);
    else if (!map.has(prop.yjsKey) || !sameValue(map.get(prop.yjsKey), checked.value))
      map.set(prop.yjsKey, cloneValue(checked.value));
  }
  for (const key of oldKeys) {
    const yk = yjsKeyOf(plugin, key);
    if (!today.has(yk) && map.has(yk)) map.delete(yk);
  }
}

/**
 * Upgrades every scene group and collection member of `doc` from `from` to
 * today's versions and records them. Runs in one transaction with `origin`.
 * Returns the plugins it upgraded (empty when the document was current).
 */
export function upgradeDoc(doc: Y.Doc, registry: Registry, from: SchemaVersions, origin?: unknown): string[] {
  const upgraded = registry.plugins.filter((p) => (from[p.name] ?? p.version) < p.version);
  const meta = getSessionMeta(doc);
  // An empty document holds nothing to upgrade; its versions are recorded when it is first filled.
  if (getScenesMap(doc).size === 0 && !meta.has(SESSION_META_KEYS.schemaVersions)) return [];
  doc.transact(() => {
    for (const scene of getScenesMap(doc).values()) {
      if (!(scene instanceof Y.Map)) continue;
      for (const plugin of upgraded) {
        const container = scene.get(plugin.key);
        if (!(container instanceof Y.Map)) continue;
        const start = from[plugin.name]!;
        if (plugin.attachTo === 'scene') upgradeMap(container as YMap, plugin, start);
        else
          for (const member of (container as YMap).values())
            if (member instanceof Y.Map) upgradeMap(member as YMap, plugin, start);
      }
    }
    recordVersions(doc, registry);
  }, origin);
  return upgraded.map((p) => p.name);
}

/**
 * Marks the document as holding today's versions. Whoever fills a document
 * with today's values (the room hydrating from the migrated DB) calls it in
 * the same transaction; without it a later start would take the document for
 * one that predates versioning.
 */
export function recordVersions(doc: Y.Doc, registry: Registry): void {
  const meta = getSessionMeta(doc);
  const want = currentVersions(registry);
  if (!sameValue(meta.get(SESSION_META_KEYS.schemaVersions), want))
    meta.set(SESSION_META_KEYS.schemaVersions, want);
}
