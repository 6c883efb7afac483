/**
 * The party settings that let players use a plugin's tools ("Players may
 * ping", "Players may measure"), found through the registry, and how the GM
 * turns one on in the editor's party settings.
 */
import type { Page } from 'playwright-core';
import { registry } from '../../engine/generated/schemas';
import type { PartySettingInfo } from '../../engine/schema';

/** Test data: the party setting each plugin's players' permission reads. */
const KEYS: Record<string, string> = { ping: 'playersPing', ruler: 'playersMeasure' };

export function playersSetting(plugin: string): PartySettingInfo {
  const setting = registry.plugin(plugin)?.partySettings.find((s) => s.key === KEYS[plugin]);
  if (!setting) throw new Error(`${plugin} has no players' party setting`);
  return setting;
}

/** Turns a players' setting on or off in the GM editor's party settings. */
export async function setPlayersSetting(gm: Page, setting: PartySettingInfo, on: boolean): Promise<void> {
  const box = gm.locator(`ts-party-settings [data-setting="${setting.id}"] input[type=checkbox]`);
  if (on) await box.check();
  else await box.uncheck();
}

/** Waits until a page's party doc holds a setting's value (the party room relayed it). */
export async function waitForSetting(page: Page, setting: PartySettingInfo, value: unknown): Promise<void> {
  await page.waitForFunction(
    ([id, v]) =>
      JSON.stringify(window.__tablestage!.store.partySettings.get()[id as string]) === JSON.stringify(v),
    [setting.id, value] as const,
    { timeout: 20_000 },
  );
}
