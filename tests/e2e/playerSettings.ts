/**
 * The settings that let players use a plugin's tools ("Players may ping",
 * "Players may measure"), found through the registry, and how the GM turns
 * one on in the editor.
 */
import type { Page } from 'playwright-core';
import { registry } from '../../engine/generated/schemas';
import type { PropInfo } from '../../engine/schema';
import { control } from './helpers';

/** Test data: the setting each plugin's players' permission reads. */
const KEYS: Record<string, string> = { ping: 'playersPing', ruler: 'playersMeasure' };

export function playersSetting(plugin: string): PropInfo {
  const prop = registry.plugin(plugin)?.props.find((p) => p.key === KEYS[plugin]);
  if (!prop) throw new Error(`${plugin} has no players' setting`);
  return prop;
}

/** Sets a players' setting in the GM's editor and waits until the GM's page holds it. */
export async function setPlayersSetting(gm: Page, prop: PropInfo, on: boolean): Promise<void> {
  const box = control(gm, prop).locator('input[type=checkbox]');
  if (on) await box.check();
  else await box.uncheck();
}
