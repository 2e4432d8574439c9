import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.ts';
import { MediaClock, Phase } from './media-clock.ts';

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
});
