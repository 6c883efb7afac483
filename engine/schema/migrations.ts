/**
 * Versioned schema migrations, declared in the schema file next to the
 * properties they migrate (the model is tldraw's shape-props migration
 * sequences: version ids, then `{ version, up }` steps).
 *
 * A plugin's schema version is the version of its last step (0 without
 * steps). The DB records the version each plugin's rows were written with,
 * a room records the versions of its stored document; both upgrade through
 * the same steps, so a renamed or retyped property keeps its value wherever
 * it is stored. The SQL (rename, drop, add, retype columns) is derived by
 * codegen from the same declarations.
 */
import type { PluginSchema } from './dsl';
import { snakeCase } from './naming';

/**
 * The values of one record at some schema version — one scene plugin group
 * or one collection member — by property key. A key can be absent: in a
 * room's document an absent key means that version's default, so `up` should
 * leave absent keys absent. In the DB every column is present (booleans are
 * `0`/`1` for properties no longer declared).
 */
export type MigrationRecord = Record<string, unknown>;

/** One version step of a plugin's schema. Applied in this order: `rename`, `up`, `drop`. */
export interface MigrationStep {
  /** The schema version this step produces: a positive integer, increasing along the sequence. */
  readonly version: number;
  /**
   * Properties renamed in this version, old key → new key. The value moves
   * with its key (in the DB the column is renamed, in rooms the Y.Map key);
   * the new key must be a property after this step.
   */
  readonly rename?: Readonly<Record<string, string>>;
  /**
   * Properties removed in this version. `up` still sees their values (to
   * split one property into others); they are deleted afterwards.
   */
  readonly drop?: readonly string[];
  /**
   * Scene properties that become party settings (`party`, same key) in this
   * version: dropped from scenes like `drop`, and each party takes the value
   * its scenes held — the most recently updated scene's value that differs
   * from the default, so a permission any scene gave stays given. Rooms'
   * stored documents simply drop them (the party row has the value).
   */
  readonly toParty?: readonly string[];
  /**
   * Transforms a record's values after the renames: change a kind or a range,
   * derive new properties. Pure and synchronous (it runs in the app server at
   * migration time and in every room). Return the record to keep; values must
   * pass the new declarations, or the DB migration stops (and a room drops
   * the value, which then reads as its default).
   */
  readonly up?: (values: MigrationRecord) => MigrationRecord;
}

/** A plugin's migration steps, oldest first. */
export type MigrationSequence = readonly MigrationStep[];

/**
 * Names a plugin's versions once, so steps and later code refer to them by
 * name (`Versions.RenameLineWidth`) rather than by number.
 */
export function migrationVersions<const V extends Record<string, number>>(versions: V): Readonly<V> {
  return versions;
}

/** Declares a plugin's steps; the identity function that gives schema files their types. */
export function defineMigrations(steps: MigrationSequence): MigrationSequence {
  return steps;
}

/** The schema version of a plugin: its last step's version, 0 when it declares none. */
export function schemaVersion(schema: PluginSchema): number {
  return schema.migrations?.at(-1)?.version ?? 0;
}

/** The keys a step removes from scenes: its drops and what it moves to the party. */
export function droppedKeys(step: MigrationStep): readonly string[] {
  return [...(step.drop ?? []), ...(step.toParty ?? [])];
}

/** The steps a record written at `from` still needs. */
export function pendingSteps(schema: PluginSchema, from: number): MigrationSequence {
  return (schema.migrations ?? []).filter((s) => s.version > from);
}

/**
 * Upgrades one record written at version `from` to the current version:
 * renames, `up`, drops, step by step. Does not validate the result (the
 * callers do, against the current declarations) and never mutates `values`.
 */
export function upgradeRecord(schema: PluginSchema, from: number, values: MigrationRecord): MigrationRecord {
  let record: MigrationRecord = { ...values };
  for (const step of pendingSteps(schema, from)) {
    for (const [oldKey, newKey] of Object.entries(step.rename ?? {}))
      if (Object.hasOwn(record, oldKey)) {
        record[newKey] = record[oldKey];
        delete record[oldKey];
      }
    if (step.up) record = { ...step.up(record) };
    for (const key of droppedKeys(step)) delete record[key];
  }
  return record;
}

/**
 * Every property key a record written at `from` may hold: today's keys with
 * the later steps undone (renames reversed, dropped keys back). Keys added
 * later without a step are included too; reading them finds nothing.
 */
export function keysAtVersion(schema: PluginSchema, from: number): string[] {
  const live = new Set(Object.keys(schema.props));
  for (const step of [...pendingSteps(schema, from)].reverse()) {
    for (const key of droppedKeys(step)) live.add(key);
    for (const [oldKey, newKey] of Object.entries(step.rename ?? {})) {
      live.delete(newKey);
      live.add(oldKey);
    }
  }
  return [...live];
}

/** The column a property key had by default (before any `column` override): how old columns are found. */
export function defaultColumn(schema: PluginSchema, key: string): string {
  return schema.attachTo === 'collection' ? snakeCase(key) : snakeCase(`${schema.name}_${key}`);
}

/**
 * Why a plugin's steps are not a valid sequence, or undefined. Checked
 * backwards from today's properties: after each step, a rename's new key and
 * nothing it drops may exist; before it, the old key exists.
 */
export function migrationsProblem(schema: PluginSchema): { problem: string; at?: string } | undefined {
  const steps = schema.migrations;
  if (steps === undefined) return undefined;
  if (!Array.isArray(steps)) return { problem: 'migrations must be an array of steps' };
  let last = 0;
  for (const step of steps as readonly MigrationStep[]) {
    const at = `migrations[version ${String(step?.version)}]`;
    if (typeof step !== 'object' || step === null) return { problem: 'a migration step must be an object' };
    if (!Number.isInteger(step.version) || step.version <= last)
      return {
        problem: `versions must be integers increasing from 1; ${String(step.version)} follows ${last}`,
        at,
      };
    last = step.version;
    if (step.up !== undefined && typeof step.up !== 'function')
      return { problem: 'up must be a function', at };
    if (!step.rename && !step.drop && !step.toParty && !step.up)
      return { problem: 'a step must rename, drop or up (or move to the party)', at };
    for (const key of step.toParty ?? [])
      if (!Object.hasOwn(schema.party ?? {}, key))
        return { problem: `moves "${key}" to the party, which declares no party setting "${key}"`, at };
  }
  const live = new Set(Object.keys(schema.props));
  for (const step of [...(steps as readonly MigrationStep[])].reverse()) {
    const at = `migrations[version ${step.version}]`;
    for (const key of droppedKeys(step)) {
      if (live.has(key))
        return { problem: `drops "${key}", which is still a property after version ${step.version}`, at };
      live.add(key);
    }
    for (const [oldKey, newKey] of Object.entries(step.rename ?? {})) {
      if (!/^[a-z][a-zA-Z0-9]*$/.test(oldKey))
        return { problem: `renamed key "${oldKey}" is not camelCase`, at };
      if (!live.has(newKey))
        return { problem: `renames "${oldKey}" to "${newKey}", which is not a property after this step`, at };
      if (live.has(oldKey) && oldKey !== newKey)
        return { problem: `renames "${oldKey}", which still exists after this step`, at };
      live.delete(newKey);
      live.add(oldKey);
    }
  }
  return undefined;
}
