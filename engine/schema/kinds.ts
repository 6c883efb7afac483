import type { ThrottleClass } from './throttle';

/** A 2D point in scene units. */
export interface Point {
  x: number;
  y: number;
}

/** Who may receive a value: everyone, or only game masters. */
export type Audience = 'all' | 'gm';

/** The inspector controls a property can ask for. */
export type ControlKind =
  'slider' | 'number' | 'toggle' | 'color' | 'select' | 'text' | 'textarea' | 'file' | 'point' | 'hidden';

/** SQL storage class of a column (SQLite / libSQL). */
export type SqlType = 'real' | 'integer' | 'text';

/** Options every property kind accepts. Each one is documented once, here. */
export interface CommonOptions {
  /** Label shown in the inspector; defaults to the key in words ("lineWidth" → "Line width"). */
  readonly label?: string;
  /** Inspector section inside the plugin's panel; properties without one go first. */
  readonly group?: string;
  /** Position in the panel; properties are sorted by order, then by declaration. */
  readonly order?: number;
  /** Overrides the control the kind would choose (e.g. `number` instead of `slider`). */
  readonly control?: ControlKind;
  /**
   * Renders the plugin's own control instead of a built-in one: the key of an
   * element in its runtime's `controls` (`engine/plugin/runtime.ts`). Scoped to
   * the plugin, so two plugins may use the same name. Codegen fails when the
   * runtime does not register it.
   */
  readonly customControl?: string;
  /** One-line help shown as the control's tooltip. */
  readonly description?: string;
  /** Overrides the plugin's throttle class for this property. */
  readonly throttle?: ThrottleClass;
  /**
   * Per-user state that never syncs and is never saved to the database (a
   * viewport offset, the active tool). Kept in the browser's storage.
   */
  readonly localOnly?: boolean;
  /** `gm`: players never receive this value, not even through the raw document. */
  readonly audience?: Audience;
  /** Overrides the derived DB column name (snake_case of plugin and key). */
  readonly column?: string;
  /** Overrides the key inside the plugin's Y.Map (default: the property key). */
  readonly yjsKey?: string;
}

export interface NumberOptions extends CommonOptions {
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  /** Unit shown beside the value ("px", "°", "%"). */
  readonly unit?: string;
}

export interface StringOptions extends CommonOptions {
  /** Longest accepted string, in UTF-16 code units (default 2,000). */
  readonly maxLength?: number;
}

export interface AssetOptions extends CommonOptions {
  /** MIME types the file control offers (e.g. `image/png`, `video/*`). */
  readonly accept?: readonly string[];
}

export interface PointOptions extends CommonOptions {
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  readonly unit?: string;
}

interface Decl<K extends string, V> {
  readonly kind: K;
  readonly default: V;
}

export interface NumberProp extends Decl<'number', number>, NumberOptions {}
export interface IntegerProp extends Decl<'integer', number>, NumberOptions {}
export interface BooleanProp extends Decl<'boolean', boolean>, CommonOptions {}
export interface StringProp extends Decl<'string', string>, StringOptions {}
export interface EnumProp<V extends string = string> extends Decl<'enum', V>, CommonOptions {
  readonly values: readonly V[];
}
export interface ColorProp extends Decl<'color', string>, CommonOptions {}
export interface AssetProp extends Decl<'asset', string>, AssetOptions {}
export interface PointProp extends Decl<'point', Point>, PointOptions {}

/** Every property declaration, discriminated by `kind`. */
export type PropDecl =
  NumberProp | IntegerProp | BooleanProp | StringProp | EnumProp | ColorProp | AssetProp | PointProp;

export type PropKind = PropDecl['kind'];

/** The TypeScript value type of a declaration. */
export type ValueOf<D extends PropDecl> = D['default'];
