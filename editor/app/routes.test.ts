import { describe, expect, it } from 'vitest';
import { gmPath, parseRoute, playPath } from './routes';

describe('parseRoute', () => {
  it('opens the home page at /', () => {
    expect(parseRoute('/')).toEqual({ page: 'home' });
  });

  it('reads the GM editor link the server hands out, with its token', () => {
    expect(parseRoute('/gm/p1/s1/sc1', '?token=abc')).toEqual({
      page: 'gm',
      partyId: 'p1',
      gameSessionId: 's1',
      sceneId: 'sc1',
      token: 'abc',
    });
    expect(parseRoute('/gm/p1/s1')).toEqual({ page: 'gm', partyId: 'p1', gameSessionId: 's1' });
    expect(parseRoute('/gm/p1')).toEqual({ page: 'gm', partyId: 'p1' });
  });

  it('reads the player link', () => {
    expect(parseRoute('/play/p1', '?token=t')).toEqual({ page: 'play', partyId: 'p1', token: 't' });
    // A TV's link may pin its performance tier; `auto` or a typo leave it to frame time.
    expect(parseRoute('/play/p1', '?tier=low&token=t')).toEqual({
      page: 'play',
      partyId: 'p1',
      token: 't',
      tier: 'low',
    });
    expect(parseRoute('/play/p1', '?tier=auto')).toEqual({ page: 'play', partyId: 'p1' });
    expect(parseRoute('/play/p1', '?tier=ultra')).toEqual({ page: 'play', partyId: 'p1' });
  });

  it('turns mangled links into a not-found page instead of a request with a bad id', () => {
    expect(parseRoute('/gm/p1/s1/sc1/extra').page).toBe('not-found');
    expect(parseRoute('/play/p1/x').page).toBe('not-found');
    expect(parseRoute('/gm/%E0%A4%A').page).toBe('not-found');
    expect(parseRoute('/gm/__proto__/s').page).toBe('not-found');
    expect(parseRoute('/nowhere').page).toBe('not-found');
  });

  it('builds paths the parser reads back', () => {
    expect(parseRoute(gmPath('p', 's', 'c'))).toEqual({
      page: 'gm',
      partyId: 'p',
      gameSessionId: 's',
      sceneId: 'c',
    });
    expect(parseRoute(playPath('p'))).toEqual({ page: 'play', partyId: 'p' });
  });
});
