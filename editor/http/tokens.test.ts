import { describe, expect, it } from 'vitest';
import { signToken } from '../../engine/auth';
import { peekToken, tokenProblem } from './tokens';

const SECRET = 'a-test-secret-of-enough-length';

describe('tokenProblem', () => {
  it('accepts a fresh token of the right party and role', async () => {
    const token = await signToken(SECRET, { role: 'gm', partyId: 'p1' });
    expect(peekToken(token)).toMatchObject({ role: 'gm', partyId: 'p1' });
    expect(tokenProblem(token, 'p1', ['gm'])).toBeUndefined();
  });

  it('names what is wrong with a link so the page can say it', async () => {
    const player = await signToken(SECRET, { role: 'player', partyId: 'p1' });
    expect(tokenProblem(undefined, 'p1', ['gm'])).toBe('missing');
    expect(tokenProblem('not.a.jwt', 'p1', ['gm'])).toBe('malformed');
    expect(tokenProblem(player.slice(0, 20), 'p1', ['gm'])).toBe('malformed');
    expect(tokenProblem(player, 'p2', ['player'])).toBe('wrong-party');
    expect(tokenProblem(player, 'p1', ['gm'])).toBe('wrong-role');
  });

  it('sees expiry without asking the server', async () => {
    const token = await signToken(SECRET, { role: 'player', partyId: 'p1' }, 60);
    const exp = peekToken(token)!.exp!;
    expect(tokenProblem(token, 'p1', ['player'], exp * 1000 - 1)).toBeUndefined();
    expect(tokenProblem(token, 'p1', ['player'], exp * 1000)).toBe('expired');
  });
});
