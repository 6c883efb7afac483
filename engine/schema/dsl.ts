import type {
  AssetOptions,
  AssetProp,
  BooleanProp,
  ColorProp,
  CommonOptions,
  EnumProp,
  IntegerProp,
  NumberOptions,
  NumberProp,
  Point,
  PointOptions,
  PointProp,
  PropDecl,
  StringOptions,
  StringProp,
} from './kinds';
import type { ChannelDecl } from './channels';
import type { MigrationSequence } from './migrations';
import type { ThrottleClass } from './throttle';

/**
 * The property constructors of a schema file: `p.number(default, options)`.
 * Each returns plain data; the registry validates it when it loads.
 */
export const p = {
  number: (def: number, o: NumberOptions = {}): NumberProp => ({ ...o, kind: 'number', default: def }),
  integer: (def: number, o: NumberOptions = {}): IntegerProp => ({ ...o, kind: 'integer', default: def }),
  boolean: (def: boolean, o: CommonOptions = {}): BooleanProp => ({ ...o, kind: 'boolean', default: def }),
  string: (def: string, o: StringOptions = {}): StringProp => ({ ...o, kind: 'string', default: def }),
  enum: <const V extends string>(
    values: readonly V[],
    def: NoInfer<V>,
    o: CommonOptions = {},
  ): EnumProp<V> => ({
    ...o,
    kind: 'enum',
    values,
    default: def,
  }),
  color: (def: string, o: CommonOptions = {}): ColorProp => ({ ...o, kind: 'color', default: def }),
  asset: (def: string, o: AssetOptions = {}): AssetProp => ({ ...o, kind: 'asset', default: def }),
  point: (def: Point, o: PointOptions = {}): PointProp => ({ ...o, kind: 'point', default: def }),
};

/** Where a plugin's component lives: once per scene, or once per member of a collection. */
export type AttachTo = 'scene' | 'collection';

/** A plugin's declaration: one component (property group) and how it syncs, saves and shows. */
export interface PluginSchema<P extends Record<string, PropDecl> = Record<string, PropDecl>> {
  /** Group key in `StageProps`, name of the plugin's Y.Map and prefix of its columns. camelCase. */
  readonly name: string;
  /** `scene`: one component per scene (columns on `scene`). `collection`: an entity kind with its own table. */
  readonly attachTo: AttachTo;
  /** Collections only: key in `StageProps` and the scene's Y.Map of members (default: name + "s"). */
  readonly collection?: string;
  /** Collections only: table name (default: snake_case of name). */
  readonly table?: string;
  /** Panel title in the inspector. */
  readonly label: string;
  /** Panel position in the inspector. */
  readonly order?: number;
  /** Throttle class of every property that does not name its own. */
  readonly throttle: ThrottleClass;
  /**
   * Collections only: members whose property has one of these values are
   * GM-only — left out of the player view, the player document and the
   * player API (e.g. `{ visibility: ['gm-only'] }`, `{ hidden: [true] }`).
   * Values are enum strings, booleans or numbers, compared exactly.
   */
  readonly gmOnlyWhen?: { readonly [K in keyof P]?: readonly GmOnlyValue[] };
  readonly props: P;
  /**
   * Party settings: values kept once per party, not per scene (e.g. whether
   * players may ping), in the party's document and row. GMs set them in the
   * editor's party settings; the rooms and every view read them (a plugin's
   * presence `players` test receives them). No columns, never local-only.
   */
  readonly party?: Readonly<Record<string, PropDecl>>;
  /** Binary data the plugin keeps per scene (fog tiles…), by channel name; see `channels.ts`. */
  readonly channels?: Readonly<Record<string, ChannelDecl>>;
  /**
   * Versioned steps that rename, retype, split or drop properties, oldest
   * first; see `migrations.ts`. The DB and the rooms' stored documents are
   * upgraded through them, so no stored value is lost.
   */
  readonly migrations?: MigrationSequence;
}

/** A property value that can make a collection member GM-only (see `gmOnlyWhen`). */
export type GmOnlyValue = string | number | boolean;

/** Declares a plugin; the identity function that gives schema files their types. */
export function definePlugin<const P extends Record<string, PropDecl>>(
  schema: PluginSchema<P>,
): PluginSchema<P> {
  return schema;
}
