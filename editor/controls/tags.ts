import type { ControlKind, Point } from '../../engine/schema';
import { kebabCase } from '../../engine/schema/naming';

/**
 * The custom element that edits each kind of inspector control. A mapped type
 * over every `ControlKind`, so adding a kind to the schema DSL without giving
 * it a control fails to compile here. Pure data (no Lit import) so codegen can
 * read it in Node.
 */
export const controlTags = {
  slider: 'ts-slider-control',
  number: 'ts-number-control',
  toggle: 'ts-toggle-control',
  color: 'ts-color-control',
  select: 'ts-select-control',
  text: 'ts-text-control',
  textarea: 'ts-textarea-control',
  file: 'ts-file-control',
  point: 'ts-point-control',
  hidden: 'ts-hidden-control',
} as const satisfies { readonly [K in ControlKind]: `ts-${string}-control` };

/** Tag name of the control for kind `K`. */
export type ControlTag<K extends ControlKind = ControlKind> = (typeof controlTags)[K];

/** The value each control edits; also exhaustive over `ControlKind`. */
export interface ControlValues {
  slider: number;
  number: number;
  toggle: boolean;
  color: string;
  select: string;
  text: string;
  textarea: string;
  /** An asset URL; the control itself emits the chosen `File` for the editor to upload. */
  file: string;
  point: Point;
  hidden: unknown;
}

/**
 * The value type of the control for kind `K`. Indexing with every kind makes a
 * kind missing from `ControlValues` a compile error.
 */
export type ControlValue<K extends ControlKind = ControlKind> = ControlValues[K];

/**
 * Tag of a plugin's own control (`customControl` in the schema, `controls` in
 * its runtime): prefixed by the plugin so two plugins' names never clash.
 */
export const customControlTag = (plugin: string, name: string): `ts-${string}-control` =>
  `ts-${kebabCase(plugin)}-${kebabCase(name)}-control`;
