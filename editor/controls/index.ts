/**
 * Inspector controls: one small Lit element per `ControlKind`, the exhaustive
 * kind → tag map codegen uses, and the events the controls emit. Importing
 * this module defines every control element.
 */
import type { ControlKind } from '../../engine/schema';
import { ColorControl } from './color';
import { FileControl } from './file';
import { HiddenControl } from './hidden';
import { NumberControl } from './number';
import { PointControl } from './point';
import { SelectControl } from './select';
import { SliderControl } from './slider';
import { TextControl } from './text';
import { TextareaControl } from './textarea';
import { ToggleControl } from './toggle';
import type { ControlTag } from './tags';

export { defineCustomControls } from './custom';
export {
  controlTags,
  customControlTag,
  type ControlTag,
  type ControlValue,
  type ControlValues,
} from './tags';
export { ControlElement, define, pathChanged } from './base';
export { fileAccepted } from './file';
export type {
  PropertyPath,
  ValueInputDetail,
  ValueInputEvent,
  EditDetail,
  EditEvent,
  FileSelectDetail,
  FileSelectEvent,
} from './events';
export {
  ColorControl,
  FileControl,
  HiddenControl,
  NumberControl,
  PointControl,
  SelectControl,
  SliderControl,
  TextControl,
  TextareaControl,
  ToggleControl,
};

/**
 * The element class of every control kind, exhaustive like `controlTags`;
 * each class is the one its tag is defined as.
 */
export const controlElements: {
  readonly [K in ControlKind]: new () => HTMLElementTagNameMap[ControlTag<K>];
} = {
  slider: SliderControl,
  number: NumberControl,
  toggle: ToggleControl,
  color: ColorControl,
  select: SelectControl,
  text: TextControl,
  textarea: TextareaControl,
  file: FileControl,
  point: PointControl,
  hidden: HiddenControl,
};
