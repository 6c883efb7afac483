/**
 * LAN mode for `npm start`: off by default, so every server listens on
 * 127.0.0.1 only. One switch turns it on — `npm start -- --lan` or
 * `TABLESTAGE_LAN=1` — and then only the editor's port (Vite) listens on the
 * network; it forwards the API, uploads and the rooms' WebSockets to the
 * loopback-only app server and rooms, so a phone or TV needs that one port.
 */
import { networkInterfaces } from 'node:os';

const TRUE = new Set(['1', 'true', 'yes', 'on']);

/** Whether LAN mode was asked for on the command line or in the environment. */
export function lanRequested(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return argv.includes('--lan') || TRUE.has((env.TABLESTAGE_LAN ?? '').toLowerCase());
}

/**
 * The address other devices reach this machine at: `TABLESTAGE_LAN_ADDRESS`
 * when set (several networks, or a name), otherwise the first non-internal
 * IPv4 address; undefined when the machine has none.
 */
export function lanAddress(env: NodeJS.ProcessEnv): string | undefined {
  if (env.TABLESTAGE_LAN_ADDRESS) return env.TABLESTAGE_LAN_ADDRESS;
  for (const addresses of Object.values(networkInterfaces()))
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}
