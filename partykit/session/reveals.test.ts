import { describe, expect, it } from 'vitest';
import { defineRoomPlugin, definePluginPresence } from '../../engine/plugin';
import { Reveals, revealAccepts, type RevealRoomView } from './reveals';

const SHOWN = 'shownscene1234';
const presence = definePluginPresence<{ ids: string[] }>({
  read: (v) => (v && Array.isArray((v as { ids?: unknown }).ids) ? (v as { ids: string[] }) : undefined),
  rate: { perSecond: 8, burst: 8 },
});
const plugin = defineRoomPlugin({
  name: 'token',
  presence,
  reveal: { members: (v) => (v as { ids: string[] }).ids, revealable: (values) => values.hidden === true },
});
const members: Record<string, Record<string, unknown>> = {
  hiddenmember1: { hidden: true },
  plainmember01: { hidden: false },
};
const room: RevealRoomView = {
  shownSceneId: () => SHOWN,
  member: (name, sceneId, id) => (name === 'token' && sceneId === SHOWN ? members[id] : undefined),
};
const gm = (ids: string[] | null) => ({
  user: { role: 'gm' },
  ...(ids ? { token: { s: SHOWN, v: { ids } } } : {}),
});

describe('reveals', () => {
  it('accepts only revealable members of the shown scene', () => {
    expect(revealAccepts(plugin, room, SHOWN, { ids: ['hiddenmember1'] })).toBe(true);
    expect(revealAccepts(plugin, room, SHOWN, { ids: ['plainmember01'] })).toBe(false);
    expect(revealAccepts(plugin, room, SHOWN, { ids: ['hiddenmember1', 'nosuchmember1'] })).toBe(false);
    expect(revealAccepts(plugin, room, 'otherscene1234', { ids: ['hiddenmember1'] })).toBe(false);
  });

  it('reports the members whose revealed state changed; players and refused values reveal nothing', () => {
    const reveals = new Reveals([plugin], room);
    const states = new Map<number, Record<string, unknown>>([[1, gm(['hiddenmember1'])]]);
    expect(reveals.refresh(states)).toEqual([{ plugin: 'token', sceneId: SHOWN, id: 'hiddenmember1' }]);
    expect(reveals.isRevealed('token', SHOWN, 'hiddenmember1')).toBe(true);
    expect(reveals.refresh(states)).toEqual([]);
    // Another client's cursor move does not concern the reveals; the holder's change does.
    states.set(2, { user: { role: 'player' }, token: { s: SHOWN, v: { ids: ['hiddenmember1'] } } });
    expect(reveals.concerns([3], states)).toBe(false);
    expect(reveals.concerns([1], states)).toBe(true);
    states.set(1, gm(null));
    expect(reveals.refresh(states)).toEqual([{ plugin: 'token', sceneId: SHOWN, id: 'hiddenmember1' }]);
    expect(reveals.isRevealed('token', SHOWN, 'hiddenmember1')).toBe(false);
    states.set(1, gm(['plainmember01']));
    expect(reveals.refresh(states)).toEqual([]);
  });
});
