/**
 * Focus protection: while the user edits a control (a focused input, a
 * slider or marker being dragged), remote updates to that path must not
 * change what the user sees, or the control jumps under their hand. The
 * guard holds the value the user sees per path; when the edit ends the hold
 * is released and the document's value shows again.
 */
import type { OverlayEntry } from './snapshots';

interface Hold {
  readonly path: readonly string[];
  value: unknown;
  /** Nested begin/end pairs (two pointers, focus plus drag) must all end. */
  depth: number;
}

export class FocusGuard {
  readonly #holds = new Map<string, Hold>();

  /** Starts protecting `key`, showing `value` (what the user sees now). */
  begin(key: string, path: readonly string[], value: unknown): void {
    const hold = this.#holds.get(key);
    if (hold) hold.depth++;
    else this.#holds.set(key, { path, value, depth: 1 });
  }

  /** The user set a new value while editing: that is what they see now. */
  update(key: string, value: unknown): void {
    const hold = this.#holds.get(key);
    if (hold) hold.value = value;
  }

  /** Ends one edit of `key`; returns true when the protection is released. */
  end(key: string): boolean {
    const hold = this.#holds.get(key);
    if (!hold) return false;
    if (--hold.depth > 0) return false;
    this.#holds.delete(key);
    return true;
  }

  isHeld(key: string): boolean {
    return this.#holds.has(key);
  }

  /** Held values whose key starts with `prefix` (one scene's holds). */
  entries(prefix: string): OverlayEntry[] {
    const out: OverlayEntry[] = [];
    for (const [key, hold] of this.#holds)
      if (key.startsWith(prefix)) out.push({ path: hold.path, value: hold.value });
    return out;
  }

  clear(): void {
    this.#holds.clear();
  }
}
