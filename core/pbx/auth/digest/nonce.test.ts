// Nonce issue, age and nonce-count replay checks on a fake clock.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../test/support/fake-clock.ts';
import { NonceService } from './nonce.ts';

function setup(over: { maxTracked?: number; ttlMs?: number } = {}) {
  const clock = new FakeClock();
  clock.advance(1_000_000);
  const nonces = new NonceService({ clock, ttlMs: over.ttlMs ?? 60_000, maxTracked: over.maxTracked ?? 100 });
  return { clock, nonces };
}

describe('NonceService', () => {
  it('accepts its own nonce once per nonce count, in any order within the window', () => {
    const { nonces } = setup();
    const n = nonces.issue();
    expect(n).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(nonces.use(n, 1)).toBe('fresh');
    expect(nonces.use(n, 1)).toBe('replay');
    expect(nonces.use(n, 3)).toBe('fresh');
    expect(nonces.use(n, 2)).toBe('fresh'); // late, but not seen before
    expect(nonces.use(n, 2)).toBe('replay');
    expect(nonces.use(n, 40)).toBe('fresh');
    expect(nonces.use(n, 8)).toBe('replay'); // fell out of the 32-wide window
    expect(nonces.use(n, 0)).toBe('replay');
  });

  it('treats a nonce without nc (no qop) as single-use', () => {
    const { nonces } = setup();
    const n = nonces.issue();
    expect(nonces.use(n, undefined)).toBe('fresh');
    expect(nonces.use(n, undefined)).toBe('replay');
  });

  it('calls a nonce stale after its time to live', () => {
    const { clock, nonces } = setup();
    const n = nonces.issue();
    clock.advance(60_000);
    expect(nonces.use(n, 1)).toBe('fresh');
    clock.advance(1);
    expect(nonces.use(n, 2)).toBe('stale');
  });

  it('calls stale what it did not sign, what another process signed, and what was issued before it started', () => {
    const { clock, nonces } = setup();
    expect(nonces.use('not-a-nonce', 1)).toBe('stale');
    const n = nonces.issue();
    const tampered = n.slice(0, -2) + (n.endsWith('AA') ? 'AB' : 'AA');
    expect(nonces.use(tampered, 1)).toBe('stale');
    clock.advance(10);
    const restarted = new NonceService({ clock, ttlMs: 60_000, maxTracked: 100 });
    expect(restarted.use(n, 1)).toBe('stale'); // different secret
    const shared = Buffer.alloc(32, 7);
    const a = new NonceService({ clock, ttlMs: 60_000, maxTracked: 100, secret: shared });
    const old = a.issue();
    clock.advance(10);
    const b = new NonceService({ clock, ttlMs: 60_000, maxTracked: 100, secret: shared });
    expect(b.use(old, 1)).toBe('stale'); // its nc history died with the old process
    expect(b.use(b.issue(), 1)).toBe('fresh');
  });

  it('keeps at most maxTracked nonces and calls an evicted one stale rather than new', () => {
    const { clock, nonces } = setup({ maxTracked: 3 });
    const issued = [0, 1, 2, 3].map(() => {
      clock.advance(1);
      return nonces.issue();
    });
    for (const n of issued) expect(nonces.use(n, 1)).toBe('fresh');
    expect(nonces.tracked).toBe(3);
    expect(nonces.use(issued[0]!, 2)).toBe('stale');
    expect(nonces.use(issued[3]!, 2)).toBe('fresh');
  });

  it('prunes nonces past their age', () => {
    const { clock, nonces } = setup();
    nonces.use(nonces.issue(), 1);
    clock.advance(60_001);
    nonces.use(nonces.issue(), 1);
    nonces.prune();
    expect(nonces.tracked).toBe(1);
  });
});
