import { describe, expect, it } from 'vitest';
import { debugEnabled } from './debug';

describe('debugEnabled', () => {
  it('matches namespaces with wildcards, lists and exclusions', () => {
    expect(debugEnabled('tablestage:sync', '')).toBe(false);
    expect(debugEnabled('tablestage:sync', 'tablestage:*')).toBe(true);
    expect(debugEnabled('tablestage:sync', 'tablestage:drift')).toBe(false);
    expect(debugEnabled('tablestage:drift', 'tablestage:sync, tablestage:drift')).toBe(true);
    expect(debugEnabled('tablestage:sync', 'tablestage:*,-tablestage:sync')).toBe(false);
    expect(debugEnabled('tablestage:sync', '*')).toBe(true);
    expect(debugEnabled('y-websocket', 'tablestage:*')).toBe(false);
  });
});
