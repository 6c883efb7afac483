import { describe, expect, it } from 'vitest';
import {
  PRICING,
  debouncedSaves,
  monthlyCost,
  originalTableHour,
  originalWriteTimes,
  oursTableHour,
  type TableHourUsage,
} from './costModel';
import { presenceMessages, tableHour, type Gesture } from './tableHour';

const idle: TableHourUsage = {
  incomingMessages: 0,
  requests: 0,
  readUnits: 0,
  writeUnits: 0,
  deletes: 0,
  objects: 0,
  storedBytesAfterMonth: 0,
  appServerCalls: 0,
  appServerBytes: 0,
};
const oneTable = { tables: 1, hoursPerWeek: 1, weeksPerMonth: 1 };

describe('monthlyCost', () => {
  it('costs the plan alone while usage stays inside the allowance', () => {
    const cost = monthlyCost({ ...idle, incomingMessages: 1000, objects: 1 }, oneTable);
    expect(cost.usd).toBe(PRICING.workersPaidMonthlyUsd);
    expect(cost.requests.quantity).toBe(1000 / PRICING.incomingWebSocketMessagesPerRequest);
  });

  it('bills incoming WebSocket messages at 20 to a request, beyond the included million', () => {
    // 1,000 table-hours of 21,000 messages = 21 M messages = 1.05 M requests: 50,000 billed.
    const cost = monthlyCost({ ...idle, incomingMessages: 21_000 }, { ...oneTable, hoursPerWeek: 1000 });
    expect(cost.requests.quantity).toBeCloseTo(1_050_000);
    expect(cost.requests.usd).toBeCloseTo(0.05 * PRICING.usdPerMillionRequests);
  });

  it('bills duration at 128 MB per active object for every hour played', () => {
    const usage = { tables: 1000, hoursPerWeek: 4, weeksPerMonth: 52 / 12 };
    const cost = monthlyCost({ ...idle, objects: 2 }, usage);
    const gbSeconds = 1000 * 4 * (52 / 12) * 3600 * 2 * 0.125;
    expect(cost.duration.quantity).toBeCloseTo(gbSeconds);
    expect(cost.duration.usd).toBeCloseTo(((gbSeconds - 400_000) / 1e6) * 12.5);
    expect(cost.usd).toBeCloseTo(5 + cost.duration.usd);
  });

  it('bills storage units and stored bytes beyond their allowances', () => {
    const cost = monthlyCost(
      { ...idle, readUnits: 3000, writeUnits: 2000, deletes: 1500, storedBytesAfterMonth: 3e9 },
      { ...oneTable, hoursPerWeek: 1000 },
    );
    expect(cost.readUnits.usd).toBeCloseTo(2 * 0.2);
    expect(cost.writeUnits.usd).toBeCloseTo(1 * 1);
    expect(cost.deletes.usd).toBeCloseTo(0.5 * 1);
    expect(cost.storedGb.usd).toBeCloseTo(2 * 0.2);
  });
});

describe('debouncedSaves', () => {
  it('saves once after a burst, once per quiet gap', () => {
    expect(debouncedSaves([], 10_000, 30_000)).toBe(0);
    expect(debouncedSaves([0, 1000, 2000], 10_000, 30_000)).toBe(1);
    expect(debouncedSaves([0, 1000, 20_000], 10_000, 30_000)).toBe(2);
  });

  it('forces a save at the max wait during a long burst', () => {
    // A write every 5 s for 100 s: never quiet for 10 s, so the 30 s max wait saves.
    const times = Array.from({ length: 21 }, (_, i) => i * 5000);
    expect(debouncedSaves(times, 10_000, 30_000)).toBe(4);
  });
});

describe('the original design', () => {
  const drag: Gesture = { kind: 'drag', at: 0, ms: 1500, gm: 0 };

  it('writes the whole scene once per batch window of a gesture', () => {
    expect(originalWriteTimes(drag)).toHaveLength(30);
    expect(originalWriteTimes({ kind: 'edit', at: 5, ms: 0, gm: 0 })).toEqual([205]);
  });

  it('stores every whole-scene write and keeps it for the month (GC off)', () => {
    const hour = { gms: 1, players: 0, gestures: [drag], cursors: [] };
    const h = originalTableHour({
      hour,
      sceneBytes: 10_000,
      scenes: 2,
      presenceMessages: 100,
      requests: 3,
      objects: 2,
      hoursPerMonth: 10,
    });
    expect(h.docMessages).toBe(30);
    expect(h.incomingMessages).toBe(130);
    expect(h.writeUnits).toBe(30 * 3);
    expect(h.storedBytesAfterMonth).toBe(2 * 10_000 + 30 * 10_000 * 10);
    expect(h.saves).toBe(1);
    expect(h.appServerCalls).toBe(2);
  });

  it('sends more document messages than ours for the same scripted hour', () => {
    const hour = tableHour(7, 2, 5);
    const original = originalTableHour({
      hour,
      sceneBytes: 5000,
      scenes: 2,
      presenceMessages: 0,
      requests: 0,
      objects: 2,
      hoursPerMonth: 17,
    });
    expect(original.docMessages).toBeGreaterThan(hour.gestures.length * 5);
  });
});

describe('oursTableHour', () => {
  it('scales the compressed presence back to the hour and keeps the rest as measured', () => {
    const h = oursTableHour({
      docMessages: 400,
      presenceMessages: 1000,
      presenceScale: 60,
      requests: 20,
      readUnits: 10,
      writeUnits: 500,
      deletes: 300,
      objects: 2,
      storedBytes: 40_000,
      appServerCalls: 30,
      appServerBytes: 90_000,
    });
    expect(h.incomingMessages).toBe(400 + 60_000);
    expect(h.storedBytesAfterMonth).toBe(40_000);
  });
});

describe('presenceMessages', () => {
  it('counts one message per throttle window of movement, overlaps merged', () => {
    const hour = {
      gms: 1,
      players: 1,
      gestures: [{ kind: 'drag' as const, at: 500, ms: 1000, gm: 0 }],
      cursors: [[{ at: 0, ms: 1020 }], [{ at: 0, ms: 340 }]],
    };
    // GM: 0…1,500 ms merged = 45 windows of 34 ms; player: 340 ms = 10.
    expect(presenceMessages(hour)).toBe(45 + 10);
  });
});
