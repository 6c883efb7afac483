/**
 * Debug logging behind a switch, in the style of the `debug` package:
 * `localStorage.debug = 'tablestage:*'` in a browser (or `DEBUG=tablestage:*`
 * in Node) turns on every sync namespace; `tablestage:sync,tablestage:drift`
 * picks some. Off by default, so production consoles stay quiet.
 */
export type DebugLog = ((...args: unknown[]) => void) & { readonly enabled: boolean };

function readSwitch(): string {
  try {
    const stored = globalThis.localStorage?.getItem('debug');
    if (stored) return stored;
  } catch {
    // Storage can throw (privacy modes, sandboxed iframes); logging stays off.
  }
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.DEBUG ?? '';
}

/** True when `namespace` matches one of the comma-separated patterns (`*` is a wildcard, `-x` excludes). */
export function debugEnabled(namespace: string, patterns = readSwitch()): boolean {
  let on = false;
  for (const raw of patterns.split(/[\s,]+/)) {
    if (!raw) continue;
    const exclude = raw.startsWith('-');
    const pattern = exclude ? raw.slice(1) : raw;
    const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    if (re.test(namespace)) {
      if (exclude) return false;
      on = true;
    }
  }
  return on;
}

/**
 * A logger for `namespace` (e.g. `tablestage:sync`). The switch is read once,
 * when the logger is made, so a disabled logger costs one boolean test.
 */
export function createDebug(namespace: string): DebugLog {
  const enabled = debugEnabled(namespace);
  const log = (...args: unknown[]) => {
    if (enabled) console.debug(`[${namespace}]`, ...args);
  };
  return Object.assign(log, { enabled });
}
