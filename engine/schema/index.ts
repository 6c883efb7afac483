/** The schema DSL and registry: the one place every scene property is declared and looked up. */
export { p, definePlugin, type PluginSchema, type AttachTo, type GmOnlyValue } from './dsl';
export type {
  Audience,
  ControlKind,
  PropDecl,
  PropKind,
  Point,
  SqlType,
  NumberProp,
  IntegerProp,
  BooleanProp,
  StringProp,
  EnumProp,
  ColorProp,
  AssetProp,
  PointProp,
} from './kinds';
export { THROTTLE_MS, isThrottleClass, type ThrottleClass } from './throttle';
export { checkValue, controlOf, KINDS, describe, type Checked, type ValueError } from './check';
export {
  createRegistry,
  isEntityId,
  SchemaError,
  SCENE_BASE_COLUMNS,
  COLLECTION_BASE_COLUMNS,
  FIXED_TABLES,
  RESERVED_SCENE_KEYS,
  type Registry,
  type PluginInfo,
  type PropInfo,
  type PartySettingInfo,
  type PartySettings,
  type ColumnInfo,
  type SchemaSource,
} from './registry';
export {
  defineMigrations,
  migrationVersions,
  schemaVersion,
  pendingSteps,
  upgradeRecord,
  keysAtVersion,
  defaultColumn,
  droppedKeys,
  type MigrationRecord,
  type MigrationStep,
  type MigrationSequence,
} from './migrations';
export { readPartySettings, partySettingsProblem } from './partySettings';
export { checkBlob, type ChannelDecl, type ChannelInfo } from './channels';
export { snakeCase, camelCase, pascalCase, kebabCase, humanize } from './naming';
