/**
 * Diagnostic (not a metric): the room's presence path in Node — a real
 * `GameSessionRoom` with the generated plugins, N GM sockets that only
 * count what they are sent, each sending cursor moves as awareness frames,
 * and the fan-out tick run once per round of N moves (the room's timer in
 * real life). Prints the JavaScript cost of one cursor move, gate to sent
 * delta, in µs. workerd adds its own per-message work on top (see the
 * README's metric 5 notes); this isolates the part the room's code owns.
 *
 * `npx tsx bench/presencePath.ts [rounds]` (default 20,000 rounds of 10 clients; PRESENCE_CLIENTS=N).
 */
import type * as Party from 'partykit/server';
import type { TokenClaims } from '../engine/auth';
import { registry } from '../engine/generated';
import { roomPlugins } from '../partykit/generated/roomPlugins';
import { encodeEntries } from '../partykit/core/awarenessGate';
import { encodeAwarenessMessage } from '../partykit/core/messages';
import { memoryStorage } from '../partykit/core/testing/memoryStorage';
import { GameSessionRoom } from '../partykit/session/room';

/** What this script reaches inside the room: the socket entry points and the tick. */
interface RoomInside {
  addConnection(conn: Party.Connection, claims: TokenClaims): void;
  handleFrame(conn: Party.Connection, frame: Uint8Array): void;
  readonly fanout: { flush(): void };
}

const CLIENTS = Number(process.env.PRESENCE_CLIENTS ?? 10);
const ROUNDS = Number(process.argv[2] ?? 20_000);

// Budgets and rate limits read the clock: it advances by one 30 Hz frame per round, as real cursors do.
let now = Date.now();
Date.now = () => now;

const room = { id: 'bench', env: {}, storage: memoryStorage() } as unknown as Party.Room;
const inside = new GameSessionRoom(room, registry, roomPlugins) as unknown as RoomInside;
let sent = 0;
let bytes = 0;
const sockets = Array.from({ length: CLIENTS + 1 }, (_, i) => {
  const conn = {
    id: `c${i}`,
    send: (m: Uint8Array) => {
      sent++;
      bytes += m.byteLength;
    },
    close() {},
  } as unknown as Party.Connection;
  inside.addConnection(conn, { role: 'gm', userId: `u${i}`, partyId: 'p' } as TokenClaims);
  return conn;
});

/** A y-protocols awareness frame holding one client's state, as a provider sends it. */
const awarenessFrame = (clientId: number, clock: number, state: unknown): Uint8Array =>
  encodeAwarenessMessage(encodeEntries([{ clientId, clock, state: JSON.stringify(state) }]));

const clocks = new Array<number>(CLIENTS + 1).fill(0);
function pass(): void {
  sent = bytes = 0;
  const t0 = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    now += 1000 / 30;
    for (let i = 1; i <= CLIENTS; i++) {
      const a = r / 5 + i;
      const state = {
        user: { name: `Player ${i}`, color: '#4c6ef5' },
        cursor: {
          x: Math.round(5000 + 4000 * Math.sin(a)) / 10,
          y: Math.round(3000 + 2000 * Math.cos(a)) / 10,
        },
      };
      inside.handleFrame(sockets[i]!, awarenessFrame(1000 + i, ++clocks[i]!, state));
    }
    inside.fanout.flush();
  }
  const us = ((performance.now() - t0) * 1000) / (ROUNDS * CLIENTS);
  console.log(
    `${us.toFixed(1)} µs per cursor move; ${sent} messages sent, ${Math.round(bytes / sent)} B each`,
  );
}

pass(); // warm-up: cold code
pass();
process.exit(0); // the room's save and snapshot timers would keep Node alive
