import type { PresenceEntry } from '../../engine/plugin';
import { defaultStageProps } from '../../engine/generated/stageProps';
import {
  assertNear,
  BACKGROUND,
  mountStage,
  pixel,
  unmountAll,
} from '../../engine/render/testing/browserStage';
import type { PingValue } from './presence';
import { RING_MS } from './render';

const ORANGE = [255, 146, 43];
const ping = (n: number, over: Partial<PresenceEntry<PingValue>> = {}): PresenceEntry<PingValue> => ({
  clientId: 3,
  local: false,
  user: { id: 'gm1', role: 'gm', name: 'GM', color: '#4c6ef5' },
  value: { x: 200, y: 150, n },
  ...over,
});
const blend = (c: readonly number[], a: number) => c.map((v, i) => v * a + BACKGROUND[i]! * (1 - a));

afterEach(unmountAll);

describe('ping pixels (WebGL2)', () => {
  it('a ping draws a ring that grows and fades, then nothing', async () => {
    let now = 1000;
    const r = await mountStage('gm', defaultStageProps(), new Map(), { clock: () => now });
    r.setPresence('ping', [ping(1)]);
    r.renderNow();
    // At the start: a small ring at full colour around the spot.
    assertNear(pixel(r, 200, 150), ORANGE, 30);
    assertNear(pixel(r, 238, 150), BACKGROUND);
    // Halfway: the ring has grown to 38 px and is half faded (sampled mid-side, where sides don't overlap).
    now += RING_MS / 2;
    r.renderNow();
    assertNear(pixel(r, 237, 152), blend(ORANGE, 0.5), 30);
    assertNear(pixel(r, 202, 112), blend(ORANGE, 0.5), 30);
    assertNear(pixel(r, 220, 150), BACKGROUND);
    // Over: nothing left.
    now += RING_MS;
    r.renderNow();
    assertNear(pixel(r, 238, 150), BACKGROUND);
    assertNear(pixel(r, 200, 150), BACKGROUND);
  });

  it('the same ping repeated in presence starts no second ring; a new number does', async () => {
    let now = 1000;
    const r = await mountStage('gm', defaultStageProps(), new Map(), { clock: () => now });
    r.setPresence('ping', [ping(1)]);
    now += RING_MS + 10;
    r.setPresence('ping', [ping(1)]);
    r.renderNow();
    assertNear(pixel(r, 200, 150), BACKGROUND);
    r.setPresence('ping', [ping(2)]);
    r.renderNow();
    assertNear(pixel(r, 200, 150), ORANGE, 30);
  });
});
