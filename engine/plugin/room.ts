/**
 * Placeholder for the room half of a plugin (owned by the room-pipeline
 * work): just enough for codegen's `partykit/generated/roomPlugins.ts` to
 * typecheck. The real `RoomPlugin` adds typed, ordered room hooks.
 */
export interface RoomPlugin {
  readonly name: string;
}

/** Declares a plugin's room hooks; the identity function that gives them types. */
export function defineRoomPlugin<T extends RoomPlugin>(p: T): T {
  return p;
}
