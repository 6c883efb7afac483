import { describe, expect, it } from 'vitest';
import { checkValue, p } from '.';

describe('checkValue', () => {
  const opacity = p.number(1, { min: 0, max: 1 });

  it('accepts numbers in range and refuses NaN, infinities, strings and out-of-range', () => {
    expect(checkValue(opacity, 0.5)).toEqual({ ok: true, value: 0.5 });
    for (const bad of [NaN, Infinity, -Infinity, '0.5', null, 1.0001, -0.1, 1e9])
      expect(checkValue(opacity, bad).ok, String(bad)).toBe(false);
  });

  it('integers must be whole', () => {
    expect(checkValue(p.integer(1), 2.5)).toMatchObject({
      ok: false,
      reason: 'expected an integer, got 2.5',
    });
  });

  it('normalises colours to lowercase #rrggbb', () => {
    expect(checkValue(p.color('#000000'), '#ABC')).toEqual({ ok: true, value: '#aabbcc' });
    expect(checkValue(p.color('#000000'), ' #A1B2C3 ')).toEqual({ ok: true, value: '#a1b2c3' });
    expect(checkValue(p.color('#000000'), 'red')).toMatchObject({ ok: false, code: 'format' });
  });

  it('enums accept only their values', () => {
    const shape = p.enum(['circle', 'square'], 'circle');
    expect(checkValue(shape, 'square').ok).toBe(true);
    expect(checkValue(shape, 'hexagon')).toMatchObject({
      ok: false,
      reason: 'expected one of "circle", "square", got the string "hexagon"',
    });
  });

  it('assets are empty, uploads or http(s) URLs', () => {
    const asset = p.asset('');
    for (const good of ['', '/uploads/a.png', 'https://example.com/m.webp'])
      expect(checkValue(asset, good).ok).toBe(true);
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', '/uploads/../x', '/etc/passwd'])
      expect(checkValue(asset, bad).ok, bad).toBe(false);
  });

  it('points need exactly finite x and y', () => {
    const pt = p.point({ x: 0, y: 0 }, { min: -10, max: 10 });
    expect(checkValue(pt, { x: 1, y: 2 })).toEqual({ ok: true, value: { x: 1, y: 2 } });
    expect(checkValue(pt, { x: 1, y: 20 })).toMatchObject({
      ok: false,
      reason: 'y: 20 is above the maximum 10',
    });
    expect(checkValue(pt, { x: 1, y: 2, z: 3 }).ok).toBe(false);
    expect(checkValue(pt, [1, 2]).ok).toBe(false);
  });

  it('strings have a length limit', () => {
    expect(checkValue(p.string('', { maxLength: 3 }), 'abcd')).toMatchObject({ ok: false, code: 'length' });
  });
});
