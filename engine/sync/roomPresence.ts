/**
 * How a YPartyKitProvider exchanges presence with our rooms. The room sends
 * per-tick deltas (presenceDelta.ts), and it relays everyone's state itself,
 * so a client sends only its own. A stock y-websocket provider sends every
 * awareness change it applies — the states it has just received included —
 * so every client echoed every other cursor back to the room: N times the
 * room's incoming presence, each parsed by its gate only to be dropped, and
 * an echo arriving after its owner left could claim the owner's released id.
 */
import * as encoding from 'lib0/encoding';
import { encodeAwarenessUpdate, type Awareness } from 'y-protocols/awareness';
import { acceptPresenceDeltas, MESSAGE_AWARENESS } from './presenceDelta';

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

/** The parts of a YPartyKitProvider this needs (its awareness handler is replaced). */
interface ProviderLike {
  readonly awareness: Awareness;
  readonly wsconnected: boolean;
  readonly ws: { send(data: Uint8Array): void; readonly readyState: number } | null;
  messageHandlers: unknown[];
  _awarenessUpdateHandler: (change: AwarenessChange, origin: unknown) => void;
}

/** Adapts a provider to our rooms: it reads their presence deltas and sends only its own state. */
export function useRoomPresence(provider: ProviderLike): void {
  acceptPresenceDeltas(provider);
  const { awareness } = provider;
  awareness.off('update', provider._awarenessUpdateHandler);
  provider._awarenessUpdateHandler = ({ added, updated, removed }) => {
    const own = awareness.clientID;
    if (!added.includes(own) && !updated.includes(own) && !removed.includes(own)) return;
    const ws = provider.ws;
    if (!provider.wsconnected || ws?.readyState !== 1) return;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, encodeAwarenessUpdate(awareness, [own]));
    ws.send(encoding.toUint8Array(e));
  };
  // The provider's destroy() unsubscribes the handler by this property.
  awareness.on('update', provider._awarenessUpdateHandler);
}
