/**
 * The game-session room's pipeline without PartyKit, for unit tests: a full
 * doc and its player projection, the tracker's repairs and the room
 * plugins' hooks run as `beforeBroadcast` runs them, over a registry made
 * from the test's own schemas.
 */
import * as Y from 'yjs';
import type { RoomPlugin } from '../../../engine/plugin';
import { createRegistry, definePlugin, p, type Registry } from '../../../engine/schema';
import { getOrCreateSceneMap, getSceneMap } from '../../../engine/sync/docLayout';
import { ROOM_ORIGIN } from '../../core/syncRoom';
import { Projector } from '../projection';
import { RoomHooks } from '../roomHooks';
import { ChangeTracker } from '../tracker';

/** A test world: a weather group, a token collection (hidden by a boolean) and an ink channel. */
export function testRegistry(): Registry {
  return createRegistry([
    {
      file: 'test/weather.schema.ts',
      plugin: definePlugin({
        name: 'weather',
        attachTo: 'scene',
        label: 'Weather',
        throttle: 'control',
        props: {
          wind: p.number(0, { min: 0, max: 100 }),
          forecast: p.string(''),
        },
      }),
    },
    {
      file: 'test/token.schema.ts',
      plugin: definePlugin({
        name: 'token',
        attachTo: 'collection',
        label: 'Tokens',
        throttle: 'member',
        gmOnlyWhen: { hidden: [true] },
        props: {
          hp: p.integer(10, { min: 0, max: 1000 }),
          hidden: p.boolean(false),
          note: p.string(''),
        },
        channels: {
          ink: {
            prefix: 'ink/',
            key: /^\d{1,3}$/,
            maxBytes: 16,
            maxKeys: 3,
            validate: (bytes) => (bytes[0] === 7 ? undefined : 'an ink stroke starts with byte 7'),
          },
          secrets: { prefix: 'secret/', key: /^\d$/, maxBytes: 16, maxKeys: 2, audience: 'gm' },
        },
      }),
    },
  ]);
}

/** Builds the pipeline; `log` collects what the room would log. */
export function pipeline(plugins: readonly RoomPlugin[] = [], registry = testRegistry()) {
  const full = new Y.Doc();
  const view = new Y.Doc();
  const logs: string[] = [];
  const hooks = new RoomHooks(registry, plugins, (m) => logs.push(m));
  const tracker = new ChangeTracker(
    full,
    registry,
    (part) => hooks.afterRepair(part),
    (m) => logs.push(m),
  );
  const projector = new Projector(full, view, registry, hooks);
  const commit = () => {
    full.transact(() => tracker.runChecks(), ROOM_ORIGIN);
    projector.project(tracker.takeViewChanges(), ROOM_ORIGIN);
  };
  full.transact(() => getOrCreateSceneMap(full, 'scene1', registry, { name: 'One' }), ROOM_ORIGIN);
  commit();
  const client = { id: 'a client connection' };
  const asClient = (fn: () => void) => {
    full.transact(fn, client);
    commit();
  };
  const part = (doc: Y.Doc, key: string) => getSceneMap(doc, 'scene1')!.get(key) as Y.Map<unknown>;
  /** A member's map in `doc`, or undefined. */
  const member = (doc: Y.Doc, id: string) => part(doc, 'tokens').get(id) as Y.Map<unknown> | undefined;
  /** Creates a member as a client would, with Y.js keys → values. */
  const addMember = (id: string, values: Record<string, unknown>) =>
    asClient(() => {
      const m = new Y.Map<unknown>();
      for (const [k, v] of Object.entries(values)) m.set(k, v);
      part(full, 'tokens').set(id, m);
    });
  return { registry, full, view, logs, hooks, asClient, part, member, addMember };
}
