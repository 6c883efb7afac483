import { describe, expect, it } from 'vitest';
import { registry } from '../generated/schemas';
import { LocalState, type KeyValueStorage } from './localState';

const localProp = registry.props.find((p) => p.localOnly && p.decl.kind === 'number')!;
const path = [localProp.plugin.key, localProp.key];
const key = path.join('.');
const valid = (localProp.decl as { max?: number }).max ?? 3;

function storage(initial: Record<string, string> = {}): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('LocalState', () => {
  it('keeps values per user and per scene across instances', () => {
    const s = storage();
    new LocalState(registry, 'alice', s).set('s1', path, valid);
    expect(new LocalState(registry, 'alice', s).get('s1')).toEqual({ [key]: valid });
    expect(new LocalState(registry, 'bob', s).get('s1')).toEqual({});
    expect(new LocalState(registry, 'alice', s).get('s2')).toEqual({});
  });

  it('works in memory without storage, or when storage throws', () => {
    const none = new LocalState(registry, 'alice', undefined);
    none.set('s1', path, valid);
    expect(none.get('s1')).toEqual({ [key]: valid });
    const broken: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const state = new LocalState(registry, 'alice', broken);
    state.set('s1', path, valid);
    expect(state.get('s1')).toEqual({ [key]: valid });
  });

  it('drops stored values that are corrupt, unknown, synced, or no longer valid', () => {
    const synced = registry.props.find((p) => !p.localOnly)!;
    const s = storage({
      'tablestage:local:alice:s1': JSON.stringify({
        [key]: 'not a number',
        'gone.prop': 1,
        [`${synced.plugin.key}.${synced.key}`]: synced.decl.default,
      }),
      'tablestage:local:alice:s2': '{not json',
    });
    const state = new LocalState(registry, 'alice', s);
    expect(state.get('s1')).toEqual({});
    expect(state.get('s2')).toEqual({});
  });
});
