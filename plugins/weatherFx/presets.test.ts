import { describe, expect, it } from 'vitest';
import { CPU_PARTICLE_CAP, particleCount, travel, WEATHER_PRESETS } from './presets';

describe('weather presets', () => {
  it('scale with intensity, halve on the medium tier, stop on low, and cap the CPU fallback', () => {
    const rain = WEATHER_PRESETS.rain;
    expect(particleCount(rain, 1, 'high', true)).toBe(rain.count);
    expect(particleCount(rain, 0.5, 'high', true)).toBe(Math.ceil(rain.count / 2));
    expect(particleCount(rain, 1, 'medium', true)).toBe(Math.ceil(rain.count / 2));
    expect(particleCount(rain, 1, 'low', true)).toBe(0);
    expect(particleCount({ ...rain, count: 50_000 }, 1, 'high', false)).toBe(CPU_PARTICLE_CAP);
  });

  it('sends particles the way the GM points them; embers rise against it', () => {
    const down = travel(WEATHER_PRESETS.snow, 90);
    expect(down.x).toBeCloseTo(0);
    expect(down.y).toBeCloseTo(1);
    expect(travel(WEATHER_PRESETS.embers, 90).y).toBeCloseTo(-1);
  });
});
