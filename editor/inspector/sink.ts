/**
 * Where an inspector panel sends the user's edits. The editor's scene store
 * implements it: `queuePropertyUpdate` validates against the registry and
 * applies at once (or refuses with a reason, applying nothing); `beginEdit` /
 * `endEdit` bracket one gesture (a drag, a typing session) so it can become
 * one undo step.
 */
export interface PropertySink {
  queuePropertyUpdate(path: string[], value: unknown): { ok: boolean; reason?: string };
  beginEdit(path: string[]): void;
  endEdit(path: string[]): void;
}
