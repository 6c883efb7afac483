/**
 * The events every inspector control emits. They bubble and are composed, so
 * a panel hears them from its controls and the editor hears them from a panel
 * (the editor uploads the files that `file-select` carries).
 */

/** The path of the property a control edits, e.g. `[plugin, key]` or `[collection, memberId, key]`. */
export type PropertyPath = readonly string[];

/** `value-input`: the user changed the value (while dragging or typing); the panel queues it. */
export interface ValueInputDetail<V = unknown> {
  readonly path: PropertyPath;
  readonly value: V;
}

/** `edit-start` / `edit-end`: the user began or finished one edit (focus…blur, pointerdown…change). */
export interface EditDetail {
  readonly path: PropertyPath;
}

/** `file-select`: the user picked or dropped a file for an asset property; the editor uploads it. */
export interface FileSelectDetail {
  readonly path: PropertyPath;
  readonly file: File;
}

export type ValueInputEvent<V = unknown> = CustomEvent<ValueInputDetail<V>>;
export type EditEvent = CustomEvent<EditDetail>;
export type FileSelectEvent = CustomEvent<FileSelectDetail>;

declare global {
  interface HTMLElementEventMap {
    'value-input': ValueInputEvent;
    'edit-start': EditEvent;
    'edit-end': EditEvent;
    'file-select': FileSelectEvent;
  }
}
