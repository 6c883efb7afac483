/**
 * The inspector: the base class of the generated plugin panels and the sink
 * interface they send edits to. Importing it defines every control element.
 */
export { InspectorPanel } from './panel';
export type { PropertySink } from './sink';

/** One entry of the generated panel list (`editor/generated/panels/index.ts`). */
export interface PanelEntry {
  /** Plugin name in the schema registry. */
  readonly plugin: string;
  /** The panel's custom element tag. */
  readonly tag: string;
}
