import type * as Party from 'partykit/server';

/**
 * PartyKit requires a `main` party. Tablestage uses only `game_session` and
 * `party`; anything addressed here is refused so a typo in a client URL fails
 * loudly instead of opening an empty room.
 */
export default class MainParty implements Party.Server {
  constructor(readonly room: Party.Room) {}

  static onBeforeConnect(): Response {
    return new Response('unknown party: connect to /parties/game_session/<id> or /parties/party/<id>', {
      status: 404,
    });
  }

  /** Answered in the worker: no room is created for a mistyped party. */
  static onBeforeRequest(): Response {
    return new Response('unknown party', { status: 404 });
  }

  onRequest(): Response {
    return new Response('unknown party', { status: 404 });
  }
}
