import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.ts';
import { MediaClock, Phase } from './media-clock.ts';
import { lagCount, lagDelta, lagQuantile, TICK_LAG_BUCKET_MS } from './tick-lag.ts';

describe('MediaClock', () => {
  it('runs phases in order once per tick', () => {
    const clock = new FakeClock();
    const mc = new MediaClock(clock, 20, 5);
    const seen: string[] = [];
    mc.add(Phase.Output, () => seen.push('out'));
    mc.add(Phase.Input, () => seen.push('in'));
    mc.add(Phase.Mix, () => seen.push('mix'));
    mc.start();
    clock.advance(40);
    mc.stop();
    expect(seen).toEqual(['in', 'mix', 'out', 'in', 'mix', 'out']);
  });

  it('catches up after a stall, capped, and counts what it skipped', () => {
    const clock = new FakeClock();
    const mc = new MediaClock(clock, 20, 3);
    let n = 0;
    mc.add(Phase.Input, () => n++);
    mc.start();
    clock.advance(20);
    expect(n).toBe(1);
    // Simulate a blocked event loop: time jumps 200 ms before the timer gets to run.
    clock.jump(200);
    clock.advance(0);
    expect(n).toBe(4);
    expect(mc.stats.skipped).toBe(7);
    expect(mc.stats.maxLagMs).toBeGreaterThanOrEqual(180);
    clock.advance(20);
    expect(n).toBe(5);
    mc.stop();
  });

  it('isolates a failing phase function', () => {
    const errors: unknown[] = [];
    const mc = new MediaClock(new FakeClock(), 20, 3, (e) => errors.push(e));
    let ran = false;
    mc.add(Phase.Input, () => {
      throw new Error('boom');
    });
    mc.add(Phase.Mix, () => (ran = true));
    mc.tickOnce();
    expect(ran).toBe(true);
    expect(errors).toHaveLength(1);
  });

  it('spreads housekeeping over the wheel: each function once per turn, a share of them per tick', () => {
    const mc = new MediaClock(new FakeClock(), 20, 3, undefined, 4);
    const runs = new Map<number, number[]>();
    for (let i = 0; i < 8; i++) mc.addHousekeeping(() => runs.set(i, [...(runs.get(i) ?? []), mc.stats.ticks]));
    const off = mc.addHousekeeping(() => runs.set(99, [0]));
    off();
    for (let t = 0; t < 8; t++) mc.tickOnce();
    expect(runs.has(99)).toBe(false);
    for (let i = 0; i < 8; i++) expect(runs.get(i)).toHaveLength(2);
    // Two per tick, never all eight in one.
    const perTick = new Map<number, number>();
    for (const ticks of runs.values()) for (const t of ticks) perTick.set(t, (perTick.get(t) ?? 0) + 1);
    expect([...perTick.values()]).toEqual(Array(8).fill(2));
  });

  it('reports the time its ticks take, apart from the time it waited to run', () => {
    const clock = new FakeClock();
    const mc = new MediaClock(clock, 20, 5);
    mc.add(Phase.Mix, () => clock.jump(3));
    mc.start();
    clock.advance(20);
    clock.advance(20);
    mc.stop();
    expect(mc.stats.ticks).toBe(2);
    expect(mc.stats.workMs).toBe(6);
    expect(mc.stats.maxWorkMs).toBe(3);
  });
});

describe('MediaClock tick lag', () => {
  it('records, per tick, how long after its due time it finished: timer lateness plus work', () => {
    const clock = new FakeClock();
    const mc = new MediaClock(clock, 20, 5);
    mc.add(Phase.Mix, () => clock.jump(3));
    mc.start();
    clock.advance(20);
    mc.stop();
    const lag = mc.stats.tickLag!;
    // Due at 20, ran at 20, finished at 23.
    expect(lagCount(lag)).toBe(1);
    expect(lagQuantile(lag, 0.99)).toBeCloseTo(3 + TICK_LAG_BUCKET_MS);
  });

  it('judges catch-up ticks against their own due times and counts skipped ticks as worst', () => {
    const clock = new FakeClock();
    const mc = new MediaClock(clock, 20, 3);
    mc.add(Phase.Mix, () => undefined);
    mc.start();
    clock.advance(20);
    const before = mc.stats.tickLag!;
    clock.jump(100);
    clock.advance(0);
    mc.stop();
    const d = lagDelta(before, mc.stats.tickLag!);
    // Due at 40, 60, 80, 100, 120; run at 120: three catch-up ticks (lags 80, 60, 40), two skipped.
    expect(lagCount(d)).toBe(5);
    expect(lagQuantile(d, 0.2)).toBeCloseTo(40 + TICK_LAG_BUCKET_MS);
    expect(lagQuantile(d, 0.6)).toBeCloseTo(80 + TICK_LAG_BUCKET_MS);
    expect(lagQuantile(d, 0.99)).toBeGreaterThanOrEqual(249);
  });
});

describe('MediaClock when only housekeeping is registered', () => {
  it('wakes every half turn of the wheel and still runs every bucket once per turn', () => {
    const clock = new FakeClock();
    const mc = new MediaClock(clock, 20, 5, undefined, 10);
    const runs: number[] = [];
    for (let i = 0; i < 10; i++) mc.addHousekeeping(() => runs.push(i));
    mc.start();
    clock.advance(90);
    expect(runs).toEqual([]);
    clock.advance(10);
    expect(runs).toEqual([0, 1, 2, 3, 4]);
    clock.advance(100);
    expect(runs).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // No media ticks were run, so none are counted as ticks (or as lag).
    expect(mc.stats.ticks).toBe(0);
    mc.stop();
  });

  it('starts ticking on the next 20 ms boundary when a phase function is added, without a catch-up burst', () => {
    const clock = new FakeClock();
    const mc = new MediaClock(clock, 20, 5, undefined, 10);
    let hk = 0;
    mc.addHousekeeping(() => hk++);
    mc.start();
    clock.advance(150);
    let ticks = 0;
    mc.add(Phase.Mix, () => ticks++);
    clock.advance(10);
    expect(ticks).toBe(1);
    clock.advance(40);
    expect(ticks).toBe(3);
    expect(mc.stats.skipped).toBe(0);
    mc.stop();
  });
});
