import * as Y from 'yjs';
import { getSessionMeta, SESSION_META_KEYS } from './docLayout';

/** A backstage hold as GMs read it (the room writes it; partykit/session/backstage.ts). */
export interface HoldView {
  /** Display name of the GM who holds the TV. */
  readonly by: string;
  /** When players' state was last published in full (ms since the epoch). */
  readonly since: number;
  /** Plugins (schema names) with edits players have not received. */
  readonly pending: readonly string[];
  /** Scenes were renamed, added, removed or reordered since the last full publish. */
  readonly structure: boolean;
}

/** The hold, or undefined when players follow the live document. Malformed values read as no hold. */
export function readHold(doc: Y.Doc): HoldView | undefined {
  const raw: unknown = getSessionMeta(doc).get(SESSION_META_KEYS.backstage);
  const hold = (raw instanceof Y.Map ? raw.toJSON() : raw) as Record<string, unknown> | undefined;
  if (!hold || typeof hold !== 'object' || typeof hold.since !== 'number') return undefined;
  return {
    by: typeof hold.by === 'string' ? hold.by : 'A GM',
    since: hold.since,
    pending: Array.isArray(hold.pending)
      ? hold.pending.filter((p): p is string => typeof p === 'string')
      : [],
    structure: hold.structure === true,
  };
}
