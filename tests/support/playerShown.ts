/**
 * Random edits for suites whose expected player view is the GM's document
 * read for players (`gmOnlyWhen`, `audience`): a value with which a room
 * plugin's `projectForPlayer` would leave the whole member out (a `hover`
 * marker, shown only while a GM hovers it, which those suites do not model)
 * becomes the property's default. The projection has its own tests.
 */
import { playerDecision } from '../../engine/plugin';
import type { PluginInfo, PropInfo } from '../../engine/schema';
import { roomPlugins } from '../../partykit/generated/roomPlugins';

const projecting = roomPlugins.filter((r) => r.projectForPlayer);

/** `value`, or the property's default when a room plugin would hide a member holding it. */
export function playerShownValue(collection: PluginInfo, prop: PropInfo, value: unknown): unknown {
  const item = { kind: 'member' as const, sceneId: '', id: '', values: { [prop.key]: value } };
  return playerDecision(projecting, collection.name, item, () => undefined).hide ? prop.decl.default : value;
}
