import { checkValue, controlOf, type Checked } from './check';
import type { Audience, ControlKind, PropDecl, SqlType } from './kinds';
import { KINDS } from './check';
import type { AttachTo, GmOnlyValue, PluginSchema } from './dsl';
import { isThrottleClass, type ThrottleClass } from './throttle';
import { camelCase, humanize, snakeCase } from './naming';
import { channelDeclProblem, type ChannelInfo } from './channels';
import { migrationsProblem, schemaVersion } from './migrations';

/** A schema file as the registry receives it: where it came from, and what it exports. */
export interface SchemaSource {
  readonly file: string;
  readonly plugin: PluginSchema;
}

/** One DB column of a property (a point has two). */
export interface ColumnInfo {
  /** SQL column name, snake_case. */
  readonly name: string;
  /** Field name in drizzle rows, camelCase. */
  readonly field: string;
  readonly sql: SqlType;
  /** For points: which coordinate this column holds. */
  readonly part?: 'x' | 'y';
}

/** A property with everything derived from its declaration. */
export interface PropInfo {
  readonly plugin: PluginInfo;
  readonly key: string;
  /** `plugin.key`, used in messages and as a stable id. */
  readonly id: string;
  readonly decl: PropDecl;
  readonly yjsKey: string;
  /** Empty for local-only properties. */
  readonly columns: readonly ColumnInfo[];
  readonly throttle: ThrottleClass;
  readonly localOnly: boolean;
  readonly audience: Audience;
  readonly control: ControlKind;
  readonly label: string;
}

/**
 * A party setting (`PluginSchema.party`): one value per party. Stored flat
 * by `id` (`plugin.key`) in the party's document and row.
 */
export interface PartySettingInfo {
  readonly plugin: PluginInfo;
  readonly key: string;
  /** `plugin.key`: the stored key and the id in messages. */
  readonly id: string;
  readonly decl: PropDecl;
  readonly control: ControlKind;
  readonly label: string;
}

/** Party settings as stored: setting id → value (absent: the default). */
export type PartySettings = Readonly<Record<string, unknown>>;

export interface PluginInfo {
  readonly schema: PluginSchema;
  readonly file: string;
  readonly name: string;
  readonly attachTo: AttachTo;
  /** Collections: key in StageProps and in the scene's Y.Map. Scene plugins: the plugin name. */
  readonly key: string;
  /** Collections: their table. Scene plugins: `scene`. */
  readonly table: string;
  readonly label: string;
  readonly order: number;
  readonly props: readonly PropInfo[];
  /** Collections: property id → values that make a member GM-only. */
  readonly gmOnlyWhen: ReadonlyMap<string, readonly GmOnlyValue[]>;
  /** The plugin's binary channels. */
  readonly channels: readonly ChannelInfo[];
  /** Schema version: the last declared migration step's version, 0 without steps. */
  readonly version: number;
  /** The plugin's party settings (`PluginSchema.party`). */
  readonly partySettings: readonly PartySettingInfo[];
}

/** A schema mistake, naming the file and the property so the author can find it. */
export class SchemaError extends Error {
  constructor(
    readonly file: string,
    readonly property: string | undefined,
    problem: string,
  ) {
    super(`${file}${property ? `: ${property}` : ''}: ${problem}`);
    this.name = 'SchemaError';
  }
}

/** Columns every scene row and every collection row has; properties may not take them. */
export const SCENE_BASE_COLUMNS = ['id', 'game_session_id', 'name', 'sort_order', 'last_updated'] as const;
export const COLLECTION_BASE_COLUMNS = ['id', 'scene_id', 'created_at'] as const;
export const FIXED_TABLES = ['party', 'game_session', 'scene', 'scene_blob'] as const;
/** Keys of a scene's Y.Map that hold scene metadata and binary data, not plugin groups. */
export const RESERVED_SCENE_KEYS = ['meta', 'blobs'] as const;

const IDENT = /^[a-z][a-zA-Z0-9]*$/;
// No leading underscore: ids become object keys, and `__proto__` must never be one.
const ENTITY_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The loaded, validated set of every plugin's declarations, with lookups. */
export interface Registry {
  /** Every plugin, in inspector order. */
  readonly plugins: readonly PluginInfo[];
  readonly scenePlugins: readonly PluginInfo[];
  readonly collections: readonly PluginInfo[];
  /** Every property of every plugin. */
  readonly props: readonly PropInfo[];
  plugin(name: string): PluginInfo | undefined;
  /** The collection stored under `key` in StageProps (e.g. `markers`). */
  collection(key: string): PluginInfo | undefined;
  /**
   * The property at a StageProps path: `[plugin, key]` for scene plugins,
   * `[collection, entityId, key]` for collection members.
   */
  byPath(path: readonly string[]): PropInfo | undefined;
  /** Every declared binary channel. */
  readonly channels: readonly ChannelInfo[];
  /** The channel a blob key belongs to (by prefix), if any. */
  channelOf(blobKey: string): ChannelInfo | undefined;
  /** The property stored in `table.column`. */
  byColumn(table: string, column: string): PropInfo | undefined;
  /**
   * Validates a value for the property at `path`; the value comes back
   * normalised (colours lower-cased…) or with a reason naming the path.
   */
  validate(path: readonly string[], value: unknown): Checked;
  /** Every plugin's party settings. */
  readonly partySettings: readonly PartySettingInfo[];
  /** Validates a party setting's value by id; normalised, or a reason naming the setting. */
  validatePartySetting(id: string, value: unknown): Checked;
  /**
   * One plugin's party setting values by key, from stored settings: each
   * stored valid value, else its default.
   */
  partyValues(plugin: string, stored: PartySettings | undefined): Record<string, unknown>;
}

export function createRegistry(sources: readonly SchemaSource[]): Registry {
  const plugins = sources.map(({ file, plugin }) => loadPlugin(file, plugin));
  plugins.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));

  const byName = new Map<string, PluginInfo>();
  const byKey = new Map<string, PluginInfo>();
  const columns = new Map<string, PropInfo>();
  for (const plugin of plugins) {
    const clash = byKey.get(plugin.key) ?? byName.get(plugin.name);
    if (clash)
      throw new SchemaError(
        plugin.file,
        plugin.name,
        `duplicate path "${plugin.key}": ${clash.file} declares the same plugin or collection key`,
      );
    byName.set(plugin.name, plugin);
    byKey.set(plugin.key, plugin);
    if (plugin.attachTo === 'collection' && (FIXED_TABLES as readonly string[]).includes(plugin.table))
      throw new SchemaError(plugin.file, plugin.name, `table "${plugin.table}" is reserved`);
    for (const prop of plugin.props)
      for (const column of prop.columns) {
        const at = `${plugin.table}.${column.name}`;
        const other = columns.get(at);
        if (other)
          throw new SchemaError(
            plugin.file,
            prop.id,
            `duplicate column "${at}", already used by ${other.id} in ${other.plugin.file}`,
          );
        columns.set(at, prop);
      }
  }
  for (const plugin of plugins.filter((p) => p.attachTo === 'collection')) {
    const tableClash = plugins.find(
      (p) => p !== plugin && p.attachTo === 'collection' && p.table === plugin.table,
    );
    if (tableClash) throw new SchemaError(plugin.file, plugin.name, `duplicate table "${plugin.table}"`);
  }

  const channels = plugins.flatMap((p) => p.channels);
  for (const c of channels) {
    const clash = channels.find(
      (o) => o !== c && (o.decl.prefix.startsWith(c.decl.prefix) || c.decl.prefix.startsWith(o.decl.prefix)),
    );
    if (clash)
      throw new SchemaError(
        registryFile(plugins, c.plugin),
        c.id,
        `channel prefix "${c.decl.prefix}" overlaps ${clash.id}'s "${clash.decl.prefix}"`,
      );
  }

  const props = plugins.flatMap((p) => p.props);
  const partySettings = plugins.flatMap((p) => p.partySettings);
  const settingById = new Map(partySettings.map((s) => [s.id, s]));
  const byPath = (path: readonly string[]): PropInfo | undefined => {
    const plugin = path[0] === undefined ? undefined : byKey.get(path[0]);
    if (!plugin) return undefined;
    if (plugin.attachTo === 'scene')
      return path.length === 2 ? plugin.props.find((p) => p.key === path[1]) : undefined;
    if (path.length !== 3 || !ENTITY_ID.test(path[1]!)) return undefined;
    return plugin.props.find((p) => p.key === path[2]);
  };

  return {
    plugins,
    scenePlugins: plugins.filter((p) => p.attachTo === 'scene'),
    collections: plugins.filter((p) => p.attachTo === 'collection'),
    props,
    plugin: (name) => byName.get(name),
    collection: (key) => {
      const p = byKey.get(key);
      return p?.attachTo === 'collection' ? p : undefined;
    },
    byPath,
    byColumn: (table, column) => columns.get(`${table}.${column}`),
    channels,
    channelOf: (key) => channels.find((c) => key.startsWith(c.decl.prefix)),
    validate(path, value) {
      const prop = byPath(path);
      if (!prop) return { ok: false, code: 'unknown-path', reason: `${path.join('.')}: no such property` };
      const checked = checkValue(prop.decl, value);
      return checked.ok ? checked : { ...checked, reason: `${path.join('.')}: ${checked.reason}` };
    },
    partySettings,
    validatePartySetting(id, value) {
      const setting = settingById.get(id);
      if (!setting) return { ok: false, code: 'unknown-path', reason: `${id}: no such party setting` };
      const checked = checkValue(setting.decl, value);
      return checked.ok ? checked : { ...checked, reason: `${id}: ${checked.reason}` };
    },
    partyValues(name, stored) {
      const out: Record<string, unknown> = {};
      for (const setting of byName.get(name)?.partySettings ?? []) {
        const checked =
          stored && Object.hasOwn(stored, setting.id)
            ? checkValue(setting.decl, stored[setting.id])
            : undefined;
        out[setting.key] = checked?.ok ? checked.value : setting.decl.default;
      }
      return out;
    },
  };
}

function registryFile(plugins: readonly PluginInfo[], name: string): string {
  return plugins.find((p) => p.name === name)?.file ?? name;
}

/** True for ids the registry accepts as collection member ids (and so as Y.Map keys and primary keys). */
export function isEntityId(id: unknown): id is string {
  return typeof id === 'string' && ENTITY_ID.test(id);
}

function loadPlugin(file: string, schema: PluginSchema): PluginInfo {
  const err = (problem: string, prop?: string) => new SchemaError(file, prop, problem);
  if (typeof schema !== 'object' || schema === null)
    throw err('the file must `export default definePlugin({...})`');
  if (typeof schema.name !== 'string' || !IDENT.test(schema.name))
    throw err(`plugin name ${JSON.stringify(schema.name)} must be a camelCase identifier`);
  if (schema.attachTo !== 'scene' && schema.attachTo !== 'collection')
    throw err(
      `attachTo must be "scene" or "collection", got ${JSON.stringify(schema.attachTo)}`,
      schema.name,
    );
  if (!isThrottleClass(schema.throttle))
    throw err(`unknown throttle class ${JSON.stringify(schema.throttle)}`, schema.name);
  const isCollection = schema.attachTo === 'collection';
  if (!isCollection && (schema.collection || schema.table || schema.gmOnlyWhen))
    throw err('collection, table and gmOnlyWhen only apply to collections', schema.name);
  const key = isCollection ? (schema.collection ?? `${schema.name}s`) : schema.name;
  if (!IDENT.test(key)) throw err(`collection key "${key}" must be a camelCase identifier`, schema.name);
  if ((RESERVED_SCENE_KEYS as readonly string[]).includes(key))
    throw err(`"${key}" is reserved for the scene's own data`, schema.name);

  const props: PropInfo[] = [];
  const plugin: PluginInfo = {
    schema,
    file,
    name: schema.name,
    attachTo: schema.attachTo,
    key,
    table: isCollection ? (schema.table ?? snakeCase(schema.name)) : 'scene',
    label: schema.label ?? humanize(schema.name),
    order: schema.order ?? 100,
    props,
    gmOnlyWhen: new Map(Object.entries(schema.gmOnlyWhen ?? {}).map(([k, v]) => [k, v ?? []])),
    channels: Object.entries(schema.channels ?? {}).map(([name, decl]) => {
      const id = `${schema.name}.${name}`;
      if (!IDENT.test(name)) throw err('channel names must be camelCase identifiers', id);
      const problem = channelDeclProblem(decl);
      if (problem) throw err(problem, id);
      return { id, plugin: schema.name, name, decl };
    }),
    version: schemaVersion(schema),
    partySettings: [],
  };

  const reserved: readonly string[] = isCollection ? COLLECTION_BASE_COLUMNS : SCENE_BASE_COLUMNS;
  const yjsKeys = new Map<string, string>();
  for (const [propKey, decl] of Object.entries(schema.props)) {
    const id = `${schema.name}.${propKey}`;
    if (!IDENT.test(propKey)) throw err('property keys must be camelCase identifiers', id);
    if (typeof decl !== 'object' || decl === null || !Object.hasOwn(KINDS, decl.kind))
      throw err(`unknown property kind ${JSON.stringify((decl as { kind?: unknown })?.kind)}`, id);
    const throttle = decl.throttle ?? schema.throttle;
    if (!isThrottleClass(throttle)) throw err(`unknown throttle class ${JSON.stringify(throttle)}`, id);
    if (decl.localOnly && decl.column !== undefined)
      throw err(`local-only property must not declare a column ("${decl.column}")`, id);
    if (decl.localOnly && isCollection) throw err('collection members cannot have local-only properties', id);
    if (decl.audience !== undefined && decl.audience !== 'all' && decl.audience !== 'gm')
      throw err(`audience must be "all" or "gm", got ${JSON.stringify(decl.audience)}`, id);
    if (decl.kind === 'enum') {
      if (!Array.isArray(decl.values) || decl.values.length === 0)
        throw err('enum needs at least one value', id);
      if (new Set(decl.values).size !== decl.values.length) throw err('enum values must be unique', id);
    }
    if (
      'min' in decl &&
      'max' in decl &&
      decl.min !== undefined &&
      decl.max !== undefined &&
      decl.min > decl.max
    )
      throw err(`min ${decl.min} is greater than max ${decl.max}`, id);
    const checked = checkValue(decl, decl.default);
    if (!checked.ok)
      throw err(`default ${JSON.stringify(decl.default)} fails its own validation: ${checked.reason}`, id);
    if (JSON.stringify(checked.value) !== JSON.stringify(decl.default))
      throw err(
        `default ${JSON.stringify(decl.default)} is not normalised; write ${JSON.stringify(checked.value)}`,
        id,
      );

    const yjsKey = decl.yjsKey ?? propKey;
    const other = yjsKeys.get(yjsKey);
    if (other) throw err(`duplicate path "${key}.${yjsKey}", already used by ${other}`, id);
    yjsKeys.set(yjsKey, id);

    const base = decl.column ?? (isCollection ? snakeCase(propKey) : snakeCase(`${schema.name}_${propKey}`));
    if (!/^[a-z][a-z0-9_]*$/.test(base)) throw err(`column "${base}" must be snake_case`, id);
    const sql = KINDS[decl.kind].sql;
    const columns: ColumnInfo[] = decl.localOnly
      ? []
      : decl.kind === 'point'
        ? (['x', 'y'] as const).map((part) => ({
            name: `${base}_${part}`,
            field: camelCase(`${base}_${part}`),
            sql,
            part,
          }))
        : [{ name: base, field: camelCase(base), sql }];
    for (const c of columns)
      if (reserved.includes(c.name))
        throw err(`column "${c.name}" is reserved for ${plugin.table} itself`, id);

    props.push({
      plugin,
      key: propKey,
      id,
      decl,
      yjsKey,
      columns,
      throttle,
      localOnly: decl.localOnly === true,
      audience: decl.audience ?? 'all',
      control: controlOf(decl),
      label: decl.label ?? humanize(propKey),
    });
  }

  for (const [settingKey, decl] of Object.entries(schema.party ?? {})) {
    const id = `${key}.${settingKey}`;
    if (!IDENT.test(settingKey)) throw err('party setting keys must be camelCase identifiers', id);
    if (typeof decl !== 'object' || decl === null || !Object.hasOwn(KINDS, decl.kind))
      throw err(`unknown property kind ${JSON.stringify((decl as { kind?: unknown })?.kind)}`, id);
    if (decl.localOnly || decl.column !== undefined || decl.kind === 'asset')
      throw err('a party setting has no column, is never local-only and holds no asset', id);
    const checked = checkValue(decl, decl.default);
    if (!checked.ok || JSON.stringify(checked.value) !== JSON.stringify(decl.default))
      throw err(`default ${JSON.stringify(decl.default)} must pass its own validation, normalised`, id);
    (plugin.partySettings as PartySettingInfo[]).push({
      plugin,
      key: settingKey,
      id,
      decl,
      control: controlOf(decl),
      label: decl.label ?? humanize(settingKey),
    });
  }

  const migrations = migrationsProblem(schema);
  if (migrations) throw err(migrations.problem, `${schema.name}${migrations.at ? `.${migrations.at}` : ''}`);

  for (const [propKey, values] of plugin.gmOnlyWhen) {
    const prop = props.find((p) => p.key === propKey);
    if (!prop) throw err(`gmOnlyWhen names unknown property "${propKey}"`, schema.name);
    for (const v of values) {
      const checked = checkValue(prop.decl, v);
      if (!checked.ok) throw err(`gmOnlyWhen value ${JSON.stringify(v)}: ${checked.reason}`, prop.id);
      // Members are compared exactly, so a value the validator would normalise could never match.
      if (checked.value !== v)
        throw err(
          `gmOnlyWhen value ${JSON.stringify(v)} is stored as ${JSON.stringify(checked.value)}`,
          prop.id,
        );
      if (!['string', 'number', 'boolean'].includes(typeof v))
        throw err(`gmOnlyWhen values must be strings, numbers or booleans`, prop.id);
    }
  }
  return plugin;
}
