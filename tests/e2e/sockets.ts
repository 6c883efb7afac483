/**
 * What a process tree listens on, read from /proc like `ss -ltnp` does: the
 * tree's socket inodes (`/proc/<pid>/fd` → `socket:[inode]`) matched against
 * the LISTEN rows of `/proc/net/tcp` and `/proc/net/tcp6`. Linux only; reads,
 * never connects.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ListeningSocket {
  /** Bound address as text: `127.0.0.1`, `0.0.0.0`, `::`, `::1`, … */
  readonly address: string;
  readonly port: number;
  readonly pid: number;
  /** The process's command line, for failure messages. */
  readonly command: string;
}

/** `pid` and every descendant (children of all its threads), recursively. */
export function processTree(pid: number): number[] {
  const out: number[] = [];
  const visit = (p: number) => {
    out.push(p);
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return; // exited meanwhile
    }
    for (const task of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of children.trim().split(/\s+/).filter(Boolean)) visit(Number(child));
    }
  };
  visit(pid);
  return out;
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

function socketInodes(pid: number): Set<string> {
  const out = new Set<string>();
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

/** /proc/net/tcp stores addresses as little-endian 32-bit words in hex. */
function decodeAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  const text = groups.join(':');
  if (text === '0:0:0:0:0:0:0:0') return '::';
  if (text === '0:0:0:0:0:0:0:1') return '::1';
  if (text.startsWith('0:0:0:0:0:ffff:')) return `::ffff:${bytes.slice(12).join('.')}`;
  return text;
}

/** Every TCP socket in LISTEN state held by `pid` or its descendants. */
export function listeningSockets(pid: number): ListeningSocket[] {
  const owner = new Map<string, number>();
  for (const p of processTree(pid)) for (const inode of socketInodes(p)) owner.set(inode, p);
  const out: ListeningSocket[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const rows = readFileSync(table, 'utf8').trim().split('\n').slice(1);
    for (const row of rows) {
      const cols = row.trim().split(/\s+/);
      // sl, local_address, rem_address, st, tx:rx, tr:when, retrnsmt, uid, timeout, inode
      const [local, state, inode] = [cols[1], cols[3], cols[9]];
      if (state !== '0A' || !local || inode === undefined) continue; // 0A = LISTEN
      const holder = owner.get(inode);
      if (holder === undefined) continue;
      const [addr, port] = local.split(':');
      out.push({
        address: decodeAddress(addr!),
        port: parseInt(port!, 16),
        pid: holder,
        command: commandLine(holder),
      });
    }
  }
  return out;
}

export const isLoopback = (address: string): boolean =>
  address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
