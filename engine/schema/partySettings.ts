/**
 * Party settings as they are stored and travel (the party row's JSON, the
 * party document, the internal API): setting id → value. Every side reads
 * them with these two functions, against the same registry.
 */
import type { PartySettings, Registry } from './registry';

/** The stored settings that are known and valid, normalised; anything else is left out (it reads as its default). */
export function readPartySettings(registry: Registry, raw: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  for (const [id, value] of Object.entries(raw as PartySettings)) {
    const checked = registry.validatePartySetting(id, value);
    if (checked.ok) out[id] = checked.value;
  }
  return out;
}

/** Why `raw` is not a valid settings object (an unknown id, a bad value), or undefined when it is. */
export function partySettingsProblem(registry: Registry, raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'settings must be an object';
  for (const [id, value] of Object.entries(raw as PartySettings)) {
    const checked = registry.validatePartySetting(id, value);
    if (!checked.ok) return checked.reason;
  }
  return undefined;
}
