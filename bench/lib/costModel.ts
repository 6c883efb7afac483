/**
 * What 1,000 tables cost a month on Cloudflare Durable Objects, from what one
 * table does in an hour of play. Pure: bench metric 11 feeds it the figures
 * it measured on real rooms (ours) and the original design's traffic derived
 * from the same scripted hour ({@link originalTableHour}).
 *
 * The prices are assumptions: Cloudflare's published Workers Paid / Durable
 * Objects prices as this module's author knows them, stated with their date
 * in {@link PRICING} and printed with every result. Check the pricing page
 * before relying on a figure.
 */
import type { Gesture, TableHour } from './tableHour';

export const PRICING = {
  asOf: '2025-06 (as published then and known to the author; not re-checked when the bench runs)',
  source:
    'developers.cloudflare.com/durable-objects/platform/pricing and /workers/platform/pricing, Workers Paid plan, key-value storage backend',
  workersPaidMonthlyUsd: 5,
  /** Requests to Durable Objects: HTTP requests, WebSocket upgrades, and incoming WebSocket messages at 20:1. */
  includedRequests: 1_000_000,
  usdPerMillionRequests: 0.15,
  incomingWebSocketMessagesPerRequest: 20,
  /** Duration: wall-clock time an object is active, billed at 128 MB whatever it uses. */
  includedGbSeconds: 400_000,
  usdPerMillionGbSeconds: 12.5,
  gbPerObject: 0.125,
  /** Storage request units of 4 KB (each key at least one unit); deletes one unit per key. */
  storageUnitBytes: 4096,
  includedReadUnits: 1_000_000,
  usdPerMillionReadUnits: 0.2,
  includedWriteUnits: 1_000_000,
  usdPerMillionWriteUnits: 1,
  includedDeletes: 1_000_000,
  usdPerMillionDeletes: 1,
  includedStoredGb: 1,
  usdPerStoredGbMonth: 0.2,
  notes: [
    'outgoing WebSocket messages are not billed',
    'both designs keep their sockets open without hibernation, so each active object bills duration for the whole time a table plays; with the hibernation API an idle room would bill less, but a playing table is never idle for long (cursors)',
    'the 20:1 ratio for incoming WebSocket messages is applied to both designs',
    'the app server (saves, session loads) is hosted elsewhere and not priced here: its calls are counted',
  ],
} as const;

export type Pricing = typeof PRICING;

/** How the tables play. */
export interface Usage {
  readonly tables: number;
  readonly hoursPerWeek: number;
  readonly weeksPerMonth: number;
}

export const USAGE: Usage = { tables: 1000, hoursPerWeek: 4, weeksPerMonth: 52 / 12 };

/** What one table costs in one hour of play, in billable quantities. */
export interface TableHourUsage {
  /** Incoming WebSocket messages, all of the table's objects. */
  readonly incomingMessages: number;
  /** Other requests to the objects: WebSocket upgrades and HTTP (room control, one room asking another). */
  readonly requests: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly deletes: number;
  /** Objects active while the table plays (the session room and the party room). */
  readonly objects: number;
  /** Bytes the table keeps stored after a month's play. */
  readonly storedBytesAfterMonth: number;
  /** Calls to the app server (not priced) and their request bytes. */
  readonly appServerCalls: number;
  readonly appServerBytes: number;
}

/** One priced line: the billable quantity a month for all tables and its cost beyond the plan's allowance. */
export interface CostLine {
  readonly quantity: number;
  readonly usd: number;
}

export interface MonthlyCost {
  readonly tableHours: number;
  readonly plan: CostLine;
  readonly requests: CostLine;
  readonly duration: CostLine;
  readonly readUnits: CostLine;
  readonly writeUnits: CostLine;
  readonly deletes: CostLine;
  readonly storedGb: CostLine;
  readonly appServerCalls: number;
  readonly appServerGb: number;
  readonly usd: number;
}

const beyond = (quantity: number, included: number, usdPerMillion: number): CostLine => ({
  quantity,
  usd: (Math.max(0, quantity - included) / 1e6) * usdPerMillion,
});

/** The month of `usage.tables` tables each playing `usage.hoursPerWeek`, priced with `pricing`. */
export function monthlyCost(
  perHour: TableHourUsage,
  usage: Usage = USAGE,
  pricing: Pricing = PRICING,
): MonthlyCost {
  const tableHours = usage.tables * usage.hoursPerWeek * usage.weeksPerMonth;
  const requests =
    tableHours * (perHour.requests + perHour.incomingMessages / pricing.incomingWebSocketMessagesPerRequest);
  const gbSeconds = tableHours * 3600 * perHour.objects * pricing.gbPerObject;
  const storedGb = (usage.tables * perHour.storedBytesAfterMonth) / 1e9;
  const lines = {
    plan: { quantity: 1, usd: pricing.workersPaidMonthlyUsd },
    requests: beyond(requests, pricing.includedRequests, pricing.usdPerMillionRequests),
    duration: beyond(gbSeconds, pricing.includedGbSeconds, pricing.usdPerMillionGbSeconds),
    readUnits: beyond(
      tableHours * perHour.readUnits,
      pricing.includedReadUnits,
      pricing.usdPerMillionReadUnits,
    ),
    writeUnits: beyond(
      tableHours * perHour.writeUnits,
      pricing.includedWriteUnits,
      pricing.usdPerMillionWriteUnits,
    ),
    deletes: beyond(tableHours * perHour.deletes, pricing.includedDeletes, pricing.usdPerMillionDeletes),
    storedGb: {
      quantity: storedGb,
      usd: Math.max(0, storedGb - pricing.includedStoredGb) * pricing.usdPerStoredGbMonth,
    },
  };
  return {
    tableHours,
    ...lines,
    appServerCalls: tableHours * perHour.appServerCalls,
    appServerGb: (tableHours * perHour.appServerBytes) / 1e9,
    usd: Object.values(lines).reduce((s, l) => s + l.usd, 0),
  };
}

/**
 * How many saves a debounced saver makes for writes at `times` (ms, sorted):
 * a save `waitMs` after the last write of a burst, or `maxWaitMs` after the
 * burst's first unsaved write, whichever comes first.
 */
export function debouncedSaves(times: readonly number[], waitMs: number, maxWaitMs: number): number {
  let saves = 0;
  let first: number | undefined;
  let last = 0;
  for (const t of times) {
    if (first !== undefined && (t - last >= waitMs || t - first >= maxWaitMs)) {
      saves++;
      // A write after a forced save (max wait) starts the next burst.
      first = undefined;
    }
    first ??= t;
    last = t;
  }
  return first === undefined ? saves : saves + 1;
}

/** The original design (see /work/shared/seed): how its client batched writes, and how it saved. */
export interface OriginalDesign {
  /** The broadcaster's batch windows: markers, UI controls, scene properties (ms). */
  readonly markerBatchMs: number;
  readonly controlBatchMs: number;
  readonly sceneBatchMs: number;
  /** The saver's debounce (the seed's documented 10 s wait, 30 s max wait). */
  readonly saveWaitMs: number;
  readonly saveMaxWaitMs: number;
  /** Calls per save: updateScene + upsertMarkers. */
  readonly callsPerSave: number;
}

export const ORIGINAL_DESIGN: OriginalDesign = {
  markerBatchMs: 50,
  controlBatchMs: 100,
  sceneBatchMs: 200,
  saveWaitMs: 10_000,
  saveMaxWaitMs: 30_000,
  callsPerSave: 2,
};

/** When the original client wrote the whole scene during `g`: once per batch window of its kind. */
export function originalWriteTimes(g: Gesture, design = ORIGINAL_DESIGN): number[] {
  const windowMs =
    g.kind === 'drag'
      ? design.markerBatchMs
      : g.kind === 'edit'
        ? design.sceneBatchMs
        : design.controlBatchMs;
  const count = Math.max(1, Math.ceil(g.ms / windowMs));
  return Array.from({ length: count }, (_, i) => g.at + (i + 1) * windowMs);
}

/** What the original design's table does in the same hour; measured figures come in `measured`. */
export interface OriginalInputs {
  readonly hour: TableHour;
  /** The whole scene object as the original wrote it (its JSON), bytes. */
  readonly sceneBytes: number;
  /** Scenes of the table (each stored whole). */
  readonly scenes: number;
  /** Presence messages an hour: the same cursors at the same 30 Hz throttle as ours (measured on ours). */
  readonly presenceMessages: number;
  /** WebSocket upgrades and other requests an hour (as ours: the same people connect). */
  readonly requests: number;
  readonly objects: number;
  /** Hours a table plays in a month (its stored history grows with every one). */
  readonly hoursPerMonth: number;
  readonly design?: OriginalDesign;
}

/**
 * The original design's hour: every batch window of a gesture sends the whole
 * scene object as one document update (`updateSceneStageProps`), which stock
 * y-partykit stores as one log entry (a clock read, then the update's units)
 * and, with `persist` (so GC off), keeps in its history for good; scene
 * switches write the small party doc; the client saver writes the whole scene
 * to the app server on its debounce.
 */
export function originalTableHour(
  inputs: OriginalInputs,
): TableHourUsage & { docMessages: number; saves: number } {
  const design = inputs.design ?? ORIGINAL_DESIGN;
  const sceneWrites = inputs.hour.gestures
    .filter((g) => g.kind !== 'switch')
    .flatMap((g) => originalWriteTimes(g, design))
    .sort((a, b) => a - b);
  const switches =
    inputs.hour.gestures.length - inputs.hour.gestures.filter((g) => g.kind !== 'switch').length;
  const unitsPerWrite = Math.max(1, Math.ceil(inputs.sceneBytes / PRICING.storageUnitBytes));
  const saves = debouncedSaves(sceneWrites, design.saveWaitMs, design.saveMaxWaitMs);
  const docMessages = sceneWrites.length + switches;
  return {
    docMessages,
    saves,
    incomingMessages: docMessages + inputs.presenceMessages,
    requests: inputs.requests,
    readUnits: docMessages,
    writeUnits: sceneWrites.length * unitsPerWrite + switches,
    // Snapshot mode replaces the log with one snapshot when the room empties: each entry deleted once.
    deletes: docMessages,
    objects: inputs.objects,
    storedBytesAfterMonth:
      inputs.scenes * inputs.sceneBytes + sceneWrites.length * inputs.sceneBytes * inputs.hoursPerMonth,
    appServerCalls: saves * design.callsPerSave,
    appServerBytes: saves * inputs.sceneBytes,
  };
}

/** Our design's hour from what one room measured (`presenceScale`: presence ran compressed, see metric 11). */
export interface OursMeasured {
  readonly docMessages: number;
  readonly presenceMessages: number;
  readonly presenceScale: number;
  readonly requests: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly deletes: number;
  readonly objects: number;
  readonly storedBytes: number;
  readonly appServerCalls: number;
  readonly appServerBytes: number;
}

export function oursTableHour(m: OursMeasured): TableHourUsage {
  return {
    incomingMessages: m.docMessages + m.presenceMessages * m.presenceScale,
    requests: m.requests,
    readUnits: m.readUnits,
    writeUnits: m.writeUnits,
    deletes: m.deletes,
    objects: m.objects,
    // The room compacts its document and storage (issue 17, part 1): what it stores does not grow with hours.
    storedBytesAfterMonth: m.storedBytes,
    appServerCalls: m.appServerCalls,
    appServerBytes: m.appServerBytes,
  };
}
