import type { Role } from './types';

/** The claims inside a token, read without checking the signature (the server checks it). */
export interface PeekedClaims {
  readonly role: Role;
  readonly partyId: string;
  readonly name?: string;
  readonly userId?: string;
  /** Expiry, seconds since the epoch. */
  readonly exp?: number;
}

/** Why a token from a link cannot be used, before asking the server. */
export type TokenProblem = 'missing' | 'malformed' | 'expired' | 'wrong-party' | 'wrong-role';

/**
 * Reads a JWT's payload so the page can tell "this link has expired" or "this
 * is a player link" at once, without a round trip. Never trusted for access:
 * the app server and the rooms verify the signature.
 */
export function peekToken(token: string | null | undefined): PeekedClaims | undefined {
  if (!token) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const json = atob(parts[1]!.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as Partial<PeekedClaims>;
    if ((claims.role !== 'gm' && claims.role !== 'player') || typeof claims.partyId !== 'string')
      return undefined;
    return claims as PeekedClaims;
  } catch {
    return undefined;
  }
}

/** Checks a link's token for a page that needs `roles` on `partyId`; `undefined` when it looks usable. */
export function tokenProblem(
  token: string | null | undefined,
  partyId: string,
  roles: readonly Role[],
  now = Date.now(),
): TokenProblem | undefined {
  if (!token) return 'missing';
  const claims = peekToken(token);
  if (!claims) return 'malformed';
  if (claims.exp !== undefined && claims.exp * 1000 <= now) return 'expired';
  if (claims.partyId !== partyId) return 'wrong-party';
  if (!roles.includes(claims.role)) return 'wrong-role';
  return undefined;
}

const STORAGE_KEY = 'tablestage:tokens';
/**
 * What this page last wrote: the token leaves the address bar once stored
 * (see app/navigation.ts), so where localStorage refuses writes (private
 * mode, quota) the page still needs a copy for its own lifetime.
 */
let written: Record<string, PartyTokens> | undefined;

/** The tokens this browser holds for one party. */
export interface PartyTokens {
  gm?: string;
  player?: string;
}

/**
 * The tokens this browser was given (there are no accounts: a link is the
 * key). Kept in localStorage so the home page can list "your parties" and an
 * editor link without `?token=` still works after a reload.
 */
export const tokenStore = {
  all(): Record<string, PartyTokens> {
    if (written) return structuredClone(written);
    try {
      const raw = localStorage.getItem(STORAGE_KEY);
      const parsed: unknown = raw ? JSON.parse(raw) : {};
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, PartyTokens>) : {};
    } catch {
      return {};
    }
  },
  get(partyId: string): PartyTokens {
    return this.all()[partyId] ?? {};
  },
  /** Remembers a token under its own party and role (read from the token itself). */
  remember(token: string): void {
    const claims = peekToken(token);
    if (!claims) return;
    const all = this.all();
    all[claims.partyId] = { ...all[claims.partyId], [claims.role]: token };
    this.write(all);
  },
  forget(partyId: string): void {
    const all = this.all();
    delete all[partyId];
    this.write(all);
  },
  write(all: Record<string, PartyTokens>): void {
    written = structuredClone(all);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(all));
    } catch {
      // Private mode or a full quota: the links still work, only the list on the home page is lost.
    }
  },
};
