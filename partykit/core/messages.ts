/**
 * The y-websocket wire protocol as YPartyKitProvider speaks it: message type
 * 0 = sync (step 1 / step 2 / update), 1 = awareness, 2 = auth, 3 = query
 * awareness. Decoding here never trusts the input: every read is bounds
 * checked by lib0 and wrapped so a malformed frame becomes a {@link
 * ProtocolError} the room turns into a close reason.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

/** A frame that does not follow the protocol. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** One decoded client message. */
export type ClientMessage =
  | { readonly type: 'sync-step1'; readonly stateVector: Uint8Array }
  | { readonly type: 'sync-update'; readonly update: Uint8Array; readonly step2: boolean }
  | { readonly type: 'awareness'; readonly update: Uint8Array }
  | { readonly type: 'query-awareness' }
  | { readonly type: 'auth' };

/** Decodes one whole message; throws {@link ProtocolError} for anything malformed. */
export function decodeClientMessage(data: Uint8Array): ClientMessage {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    let message: ClientMessage;
    switch (type) {
      case MESSAGE_SYNC: {
        const sub = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (sub === SYNC_STEP1) message = { type: 'sync-step1', stateVector: payload };
        else if (sub === SYNC_STEP2 || sub === SYNC_UPDATE)
          message = { type: 'sync-update', update: payload, step2: sub === SYNC_STEP2 };
        else throw new ProtocolError(`unknown sync message type ${sub}`);
        break;
      }
      case MESSAGE_AWARENESS:
        message = { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
        break;
      case MESSAGE_QUERY_AWARENESS:
        message = { type: 'query-awareness' };
        break;
      case MESSAGE_AUTH:
        message = { type: 'auth' };
        break;
      default:
        throw new ProtocolError(`unknown message type ${type}`);
    }
    return message;
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    throw new ProtocolError(`truncated or malformed message (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** Reads a state vector; throws {@link ProtocolError} when it is malformed. */
export function decodeStateVectorSafe(stateVector: Uint8Array): Map<number, number> {
  try {
    const sv = Y.decodeStateVector(stateVector);
    for (const [client, clock] of sv)
      if (!Number.isSafeInteger(client) || !Number.isSafeInteger(clock) || clock < 0)
        throw new ProtocolError('state vector holds an invalid clock');
    return sv;
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    throw new ProtocolError('malformed state vector');
  }
}

function syncMessage(sub: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, sub);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1: "here is what I have" (the server's state vector). */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return syncMessage(SYNC_STEP1, Y.encodeStateVector(doc));
}

/** Sync step 2: everything in `doc` the peer lacks, given its state vector. */
export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  return syncMessage(SYNC_STEP2, Y.encodeStateAsUpdate(doc, stateVector));
}

/** A Y.js update (V1) wrapped as a sync update message. */
export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return syncMessage(SYNC_UPDATE, update);
}

/** An awareness update wrapped as an awareness message. */
export function encodeAwarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Clock ranges the peer has beyond what `doc` knows, per client. */
export function unknownRanges(
  doc: Y.Doc,
  peerStateVector: ReadonlyMap<number, number>,
): Map<number, { from: number; to: number }> {
  const mine = Y.decodeStateVector(Y.encodeStateVector(doc));
  const ranges = new Map<number, { from: number; to: number }>();
  for (const [client, clock] of peerStateVector) {
    const known = mine.get(client) ?? 0;
    if (clock > known) ranges.set(client, { from: known, to: clock });
  }
  return ranges;
}
