import type { PluginControl, PluginRuntime } from '../../engine/plugin';
import { define } from './base';
import { customControlTag } from './tags';

/** A constructor is a function with a prototype; a loader is an arrow function, which has none. */
const isLoader = (control: PluginControl): control is () => Promise<{ default: CustomElementConstructor }> =>
  !(control.prototype instanceof HTMLElement);

/**
 * Defines every plugin's own inspector controls (`PluginRuntime.controls`)
 * under the tags the generated panels render. Loaders are awaited; an element
 * the panel created before its definition arrives is upgraded then and keeps
 * the properties already set on it. Settles when all are defined.
 */
export async function defineCustomControls(runtimes: readonly PluginRuntime[]): Promise<void> {
  await Promise.all(
    runtimes.flatMap((runtime) =>
      Object.entries(runtime.controls ?? {}).map(async ([name, control]) => {
        const element = isLoader(control) ? (await control()).default : control;
        define(customControlTag(runtime.name, name), element);
      }),
    ),
  );
}
