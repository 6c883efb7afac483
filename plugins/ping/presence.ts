import { definePluginPresence } from '../../engine/plugin';

/** Ping coordinates beyond this are not on any map. */
const MAX_COORD = 1e6;
/** Ping numbers wrap here; a new number is a new ring. */
export const PING_SEQ_WRAP = 1_000_000;

/** A ping as it travels: where, its number (each ping a new one) and whether it pulls players' views. */
export interface PingValue {
  readonly x: number;
  readonly y: number;
  readonly n: number;
  readonly pull?: true;
}

const coord = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= MAX_COORD;

/** Reads a ping, or undefined when malformed. */
export function readPing(value: unknown): PingValue | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { x, y, n, pull } = value as Record<string, unknown>;
  if (!coord(x) || !coord(y) || !Number.isInteger(n) || (n as number) < 0 || (n as number) >= PING_SEQ_WRAP)
    return undefined;
  const ping = { x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10, n: n as number };
  return pull === true ? { ...ping, pull: true } : ping;
}

/**
 * The ping's presence: GMs always, players when the party's "Players may
 * ping" is on; two pings a second per connection (a burst of four) — a
 * connection that keeps pinging faster is cut off by the room.
 */
export const pingPresence = definePluginPresence<PingValue>({
  read: readPing,
  players: (values) => values.playersPing === true,
  rate: { perSecond: 2, burst: 4 },
});
