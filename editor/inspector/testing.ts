/**
 * Helpers for the inspector's browser tests (web-test-runner + mocha in
 * Chromium): a recording sink backed by the real registry, and small asserts
 * (the browser suite has no assertion library of its own).
 */
import type { Registry } from '../../engine/schema';
import type { PropertySink } from './sink';

declare global {
  // mocha's BDD globals, as web-test-runner provides them.
  function describe(name: string, body: () => void): void;
  function it(name: string, body: () => void | Promise<void>): void;
  function afterEach(body: () => void | Promise<void>): void;
}

/** One call the sink received, in order. */
export type SinkCall =
  | { readonly kind: 'update'; readonly path: string[]; readonly value: unknown; readonly ok: boolean }
  | { readonly kind: 'begin' | 'end'; readonly path: string[] };

/**
 * A real `PropertySink` that validates with the registry (as the editor's
 * store does) and records every call.
 */
export class RecordingSink implements PropertySink {
  readonly calls: SinkCall[] = [];

  constructor(private readonly registry: Registry) {}

  queuePropertyUpdate(path: string[], value: unknown): { ok: boolean; reason?: string } {
    const checked = this.registry.validate(path, value);
    this.calls.push({ kind: 'update', path, value, ok: checked.ok });
    return checked.ok ? { ok: true } : { ok: false, reason: checked.reason };
  }

  beginEdit(path: string[]): void {
    this.calls.push({ kind: 'begin', path });
  }

  endEdit(path: string[]): void {
    this.calls.push({ kind: 'end', path });
  }

  get updates() {
    return this.calls.filter((c) => c.kind === 'update');
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Deep equality by JSON, enough for the plain values properties hold. */
export function assertEqual(actual: unknown, expected: unknown, message: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}: expected ${e}, got ${a}`);
}
