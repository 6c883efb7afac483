import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact';

describe('redactSecrets', () => {
  it('removes query tokens, bearer credentials and bare JWTs, keeping the rest of the line', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiZ20iLCJwYXJ0eSI6InAxIn0.c2lnbmF0dXJlLWJ5dGVz';
    const line = `GET /parties/game_session/s1?token=${jwt}&x=1 Authorization: Bearer s3cr3t-value-123 then ${jwt}`;
    const out = redactSecrets(line);
    expect(out).toBe(
      'GET /parties/game_session/s1?token=[redacted]&x=1 Authorization: Bearer [redacted] then [redacted]',
    );
    expect(out).not.toContain('s3cr3t');
  });

  it('leaves lines without credentials alone', () => {
    expect(redactSecrets('[pk] ready on http://127.0.0.1:1999')).toBe('[pk] ready on http://127.0.0.1:1999');
  });
});
