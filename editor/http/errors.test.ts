import { describe, expect, it } from 'vitest';
import { kindOfStatus } from './errors';

describe('kindOfStatus', () => {
  it('maps statuses to what a person can do about them', () => {
    expect(kindOfStatus(401)).toBe('unauthorized');
    expect(kindOfStatus(403)).toBe('forbidden');
    expect(kindOfStatus(404)).toBe('not-found');
    expect(kindOfStatus(400)).toBe('invalid');
    expect(kindOfStatus(413)).toBe('invalid');
    expect(kindOfStatus(502)).toBe('unreachable');
    expect(kindOfStatus(500)).toBe('server');
  });
});
