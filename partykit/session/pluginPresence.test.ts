import { describe, expect, it } from 'vitest';
import { defineRoomPlugin, definePluginPresence } from '../../engine/plugin';
import { pluginPresenceFields, type PresenceRoomView } from './pluginPresence';

const presence = definePluginPresence<{ x: number }>({
  read: (v) =>
    typeof v === 'object' && v !== null && typeof (v as { x?: unknown }).x === 'number'
      ? { x: (v as { x: number }).x }
      : undefined,
  players: (values) => values.allowed === true,
  rate: { perSecond: 2, burst: 2 },
});
const SHOWN = 'shownscene1234';
const OTHER = 'otherscene5678';

function field(allowed: boolean) {
  const room: PresenceRoomView = {
    shownSceneId: () => SHOWN,
    partyValues: (plugin) => (plugin === 'pointer' ? { allowed } : {}),
    member: () => undefined,
  };
  const [f] = pluginPresenceFields(
    [defineRoomPlugin({ name: 'pointer', presence }), defineRoomPlugin({ name: 'quiet' })],
    room,
  );
  return f!;
}
const gm = { id: 'u1', role: 'gm' };
const player = { id: 'u2', role: 'player' };

describe('plugin presence fields in the room', () => {
  it('one field per plugin that declares presence, under its name, with its rate', () => {
    expect(field(false)).toMatchObject({ key: 'pointer', rate: { perSecond: 2, burst: 2 } });
  });

  it('a GM value is read with the plugin’s reader: normalised, malformed dropped', () => {
    const f = field(false);
    expect(f.read({ s: OTHER, v: { x: 1, evil: '<img>' } }, gm)).toEqual({ s: OTHER, v: { x: 1 } });
    expect(f.read({ s: SHOWN, v: { x: 'no' } }, gm)).toBeUndefined();
    expect(f.read({ s: '<bad id>', v: { x: 1 } }, gm)).toBeUndefined();
    expect(f.read(null, gm)).toBeNull();
  });

  it('players: refused while the setting is off, and for a scene they are not shown', () => {
    expect(field(false).read({ s: SHOWN, v: { x: 1 } }, player)).toBeUndefined();
    expect(field(true).read({ s: SHOWN, v: { x: 1 } }, player)).toEqual({ s: SHOWN, v: { x: 1 } });
    expect(field(true).read({ s: OTHER, v: { x: 1 } }, player)).toBeUndefined();
    expect(field(true).read({ s: SHOWN, v: { x: 1 } }, undefined)).toBeUndefined();
  });
});
