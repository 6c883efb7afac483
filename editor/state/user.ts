import { readName } from '../../engine/sync/presence';

/** This browser's user: a stable id, a display name and a cursor colour (there are no accounts). */
export interface LocalUser {
  readonly id: string;
  readonly name: string;
  readonly color: string;
}

const KEY = 'tablestage:user';
const COLORS = ['#e03131', '#2f9e44', '#1971c2', '#f08c00', '#9c36b5', '#0c8599', '#c2255c', '#5c940d'];

/**
 * The user of this browser, created on first use and kept in localStorage so
 * cursors and local-only view state survive reloads. Separate browser
 * profiles (or private windows) are separate users.
 */
export function localUser(role: 'gm' | 'player'): LocalUser {
  const key = `${KEY}:${role}`;
  try {
    const stored = JSON.parse(localStorage.getItem(key) ?? 'null') as LocalUser | null;
    if (stored && typeof stored.id === 'string' && typeof stored.name === 'string') return stored;
  } catch {
    // Unreadable storage: fall through to a fresh user.
  }
  const id = crypto.randomUUID();
  const hash = [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const user: LocalUser = {
    id,
    name: `${role === 'gm' ? 'GM' : 'Player'} ${id.slice(0, 4)}`,
    color: COLORS[hash % COLORS.length]!,
  };
  try {
    localStorage.setItem(key, JSON.stringify(user));
  } catch {
    // Private mode: this user lasts for the page's life.
  }
  return user;
}

/**
 * Renames this browser's user (the name others see with the cursor), kept
 * for the next visit. The name is cleaned as the room reads it (one line, at
 * most 40 characters); an empty one keeps the old name. Returns the user.
 */
export function renameLocalUser(role: 'gm' | 'player', name: string): LocalUser {
  const user = localUser(role);
  const clean = readName(name);
  if (clean === undefined || clean === user.name) return user;
  const renamed = { ...user, name: clean };
  try {
    localStorage.setItem(`${KEY}:${role}`, JSON.stringify(renamed));
  } catch {
    // Private mode: the name lasts for the page's life.
  }
  return renamed;
}
