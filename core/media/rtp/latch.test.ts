import { describe, expect, it } from 'vitest';
import { Latch } from './latch.ts';

describe('Latch', () => {
  it('latches to the first source and rejects others while it is alive', () => {
    const l = new Latch(true, 2000);
    expect(l.accept('10.0.0.1', 4000, 0)).toBe(true);
    expect(l.current).toEqual({ address: '10.0.0.1', port: 4000 });
    expect(l.accept('10.0.0.2', 5000, 100)).toBe(false);
    expect(l.rejected).toBe(1);
    expect(l.accept('10.0.0.1', 4000, 1000)).toBe(true);
  });

  it('moves to a new source once the latched one has been silent long enough', () => {
    const l = new Latch(true, 2000);
    l.accept('10.0.0.1', 4000, 0);
    expect(l.accept('10.0.0.2', 5000, 2500)).toBe(true);
    expect(l.current).toEqual({ address: '10.0.0.2', port: 5000 });
    expect(l.relatches).toBe(1);
  });

  it('accepts everything when latching is off', () => {
    const l = new Latch(false, 2000);
    expect(l.accept('a', 1, 0) && l.accept('b', 2, 0)).toBe(true);
    expect(l.current).toBeUndefined();
  });
});
