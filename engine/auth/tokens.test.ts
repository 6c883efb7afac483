import { describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { isCurrentLink, signToken, verifyToken } from './tokens';

const SECRET = 'a-test-secret-that-is-long-enough';

describe('tokens', () => {
  it('round-trips role, party, user and name', async () => {
    const token = await signToken(SECRET, { role: 'gm', partyId: 'p1', userId: 'u1', name: 'Ann' });
    const result = await verifyToken(SECRET, token);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.claims).toMatchObject({ role: 'gm', partyId: 'p1', userId: 'u1', name: 'Ann', version: 1 });
  });

  it('signs links without expiry, carrying a link version; older versions are not current', async () => {
    const token = await signToken(SECRET, { role: 'gm', partyId: 'p1', version: 3 });
    const result = await verifyToken(SECRET, token);
    if (!result.ok) throw new Error(result.message);
    expect(result.claims.exp).toBeUndefined();
    expect(result.claims.version).toBe(3);
    expect(isCurrentLink(result.claims, { gm: 3, player: 1 })).toBe(true);
    expect(isCurrentLink(result.claims, { gm: 4, player: 1 })).toBe(false);
    // A token from before link versions counts as the first version.
    const legacy = await new SignJWT({ role: 'player', partyId: 'p1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('tablestage')
      .sign(new TextEncoder().encode(SECRET));
    expect(await verifyToken(SECRET, legacy)).toMatchObject({ ok: true, claims: { version: 1 } });
  });

  it('distinguishes missing, malformed, bad signature and expired', async () => {
    expect(await verifyToken(SECRET, undefined)).toMatchObject({ ok: false, reason: 'missing' });
    expect(await verifyToken(SECRET, '')).toMatchObject({ ok: false, reason: 'missing' });
    expect(await verifyToken(SECRET, 'nope')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(await verifyToken(SECRET, 'a.b.c')).toMatchObject({ ok: false, reason: 'malformed' });
    const other = await signToken('another-secret-long-enough!!', { role: 'gm', partyId: 'p1' });
    expect(await verifyToken(SECRET, other)).toMatchObject({ ok: false, reason: 'bad-signature' });
    const expired = await new SignJWT({ role: 'gm', partyId: 'p1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('tablestage')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(SECRET));
    expect(await verifyToken(SECRET, expired)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('refuses a validly signed JWT that does not carry our claims', async () => {
    const foreign = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('tablestage')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    expect(await verifyToken(SECRET, foreign)).toMatchObject({ ok: false, reason: 'invalid-claims' });
  });

  it('refuses a tampered payload', async () => {
    const token = await signToken(SECRET, { role: 'player', partyId: 'p1' });
    const [h, , s] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ role: 'gm', partyId: 'p1', iss: 'tablestage', exp: 9e9 }),
    ).toString('base64url');
    expect(await verifyToken(SECRET, `${h}.${forged}.${s}`)).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
  });
});
