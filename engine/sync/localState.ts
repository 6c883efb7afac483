/**
 * Per-user, per-scene values of local-only properties (viewport, active
 * tool): never synced, never saved to the DB, kept in the browser's
 * localStorage so a reload restores them. Without localStorage (Node, a
 * sandboxed frame, a full quota) they live in memory for the session.
 */
import { checkValue, type Registry } from '../schema';

/** The subset of the Web Storage API this module needs. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function defaultStorage(): KeyValueStorage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined; // accessing localStorage throws where storage is blocked
  }
}

/** Local-only values of one user, by scene, then by path (`plugin.key`). */
export class LocalState {
  readonly #memory = new Map<string, Record<string, unknown>>();

  constructor(
    private readonly registry: Registry,
    private readonly userId: string,
    private readonly storage: KeyValueStorage | undefined = defaultStorage(),
  ) {}

  #key(sceneId: string): string {
    return `tablestage:local:${this.userId}:${sceneId}`;
  }

  /** The stored values for a scene; entries that no longer validate are left out. */
  get(sceneId: string): Record<string, unknown> {
    let values = this.#memory.get(sceneId);
    if (!values) {
      values = this.#load(sceneId);
      this.#memory.set(sceneId, values);
    }
    return values;
  }

  set(sceneId: string, path: readonly string[], value: unknown): void {
    const values = { ...this.get(sceneId), [path.join('.')]: value };
    this.#memory.set(sceneId, values);
    try {
      this.storage?.setItem(this.#key(sceneId), JSON.stringify(values));
    } catch {
      // Quota or privacy errors: keep the value in memory for this session.
    }
  }

  #load(sceneId: string): Record<string, unknown> {
    let raw: string | null = null;
    try {
      raw = this.storage?.getItem(this.#key(sceneId)) ?? null;
    } catch {
      return {};
    }
    if (!raw) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return {};
    }
    if (typeof parsed !== 'object' || parsed === null) return {};
    const out: Record<string, unknown> = {};
    // Schemas change between visits: drop values whose property is gone or whose value no longer fits.
    for (const [key, value] of Object.entries(parsed)) {
      const prop = this.registry.byPath(key.split('.'));
      if (!prop?.localOnly) continue;
      const checked = checkValue(prop.decl, value);
      if (checked.ok) out[key] = checked.value;
    }
    return out;
  }
}
