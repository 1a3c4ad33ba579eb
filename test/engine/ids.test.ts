import { describe, expect, it } from 'vitest';
import { isUuid, newId } from '../../src/engine/ids.js';

describe('order ids', () => {
  // 5,000 ids draw several refills of the buffered random bits (1,024 words each).
  const ids = Array.from({ length: 5_000 }, () => newId());

  it('are version-7 UUIDs in their text form', () => {
    for (const id of ids) {
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]);
    }
  });

  it('sort in the order they were made, with no repeats', () => {
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('carry random bits that change from one id to the next', () => {
    // The last 8 hex digits are random in every id (the counter is in the middle groups).
    const tails = new Set(ids.map((id) => id.slice(-8)));
    expect(tails.size).toBeGreaterThan(ids.length * 0.99);
  });
});
