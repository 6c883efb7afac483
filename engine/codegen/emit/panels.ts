import type { Registry } from '../../schema';

/** Placeholder until the inspector panel emitter lands: no panels. */
export function emitPanels(_registry: Registry): Record<string, string> {
  return {};
}
