import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TimerWheel } from './timer-wheel.ts';

describe('TimerWheel', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('fires no earlier than asked and at most one step late, in due order', () => {
    const w = new TimerWheel(10);
    const fired: [string, number][] = [];
    const at = (name: string) => () => void fired.push([name, Date.now() - 1_000_000]);
    w.setTimer(25, at('25'));
    w.setTimer(21, at('21'));
    w.setTimer(500, at('500'));
    w.setTimer(3, at('3'));
    vi.advanceTimersByTime(2);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(fired.map(([n]) => n)).toEqual(['3', '21', '25', '500']);
    for (const [name, t] of fired) {
      expect(t).toBeGreaterThanOrEqual(Number(name));
      expect(t).toBeLessThanOrEqual(Number(name) + 10);
    }
  });

  it('keeps the order timers were set in when they are due together', () => {
    const w = new TimerWheel(10);
    const fired: number[] = [];
    for (let i = 0; i < 5; i++) w.setTimer(40, () => void fired.push(i));
    vi.advanceTimersByTime(50);
    expect(fired).toEqual([0, 1, 2, 3, 4]);
  });

  it('a cancelled timer never fires; the others still do', () => {
    const w = new TimerWheel(10);
    const fired: string[] = [];
    const a = w.setTimer(30, () => void fired.push('a'));
    w.setTimer(30, () => void fired.push('b'));
    const c = w.setTimer(70, () => void fired.push('c'));
    a.cancel();
    c.cancel();
    vi.advanceTimersByTime(100);
    expect(fired).toEqual(['b']);
  });

  it('cancelling some of many timers in one step leaves the rest firing in due order', () => {
    const w = new TimerWheel(10);
    const fired: number[] = [];
    const handles = Array.from({ length: 12 }, (_, i) => w.setTimer(30 + (i % 4), () => void fired.push(i)));
    for (const i of [0, 5, 6, 11]) handles[i]!.cancel();
    handles[5]!.cancel();
    vi.advanceTimersByTime(50);
    expect(fired).toEqual([4, 8, 1, 9, 2, 10, 3, 7]);
  });

  it('a callback may cancel a timer due in the same step', () => {
    const w = new TimerWheel(10);
    const fired: string[] = [];
    let b: { cancel(): void } | undefined;
    w.setTimer(20, () => {
      fired.push('a');
      b?.cancel();
    });
    b = w.setTimer(21, () => void fired.push('b'));
    vi.advanceTimersByTime(40);
    expect(fired).toEqual(['a']);
  });

  it('a timer set while timers fire waits for a later turn, even with 0 ms', () => {
    const w = new TimerWheel(10);
    const fired: string[] = [];
    w.setTimer(10, () => {
      fired.push('outer');
      w.setTimer(0, () => void fired.push('inner'));
    });
    vi.advanceTimersByTime(10);
    expect(fired).toEqual(['outer']);
    vi.advanceTimersByTime(20);
    expect(fired).toEqual(['outer', 'inner']);
  });

  it('an earlier timer set after a later one re-arms the wake-up', () => {
    const w = new TimerWheel(10);
    const fired: string[] = [];
    w.setTimer(1000, () => void fired.push('late'));
    w.setTimer(20, () => void fired.push('early'));
    vi.advanceTimersByTime(40);
    expect(fired).toEqual(['early']);
  });

  it('clear() drops everything pending', () => {
    const w = new TimerWheel(10);
    let n = 0;
    w.setTimer(10, () => void n++);
    w.setTimer(5000, () => void n++);
    w.clear();
    vi.advanceTimersByTime(10_000);
    expect(n).toBe(0);
    w.setTimer(10, () => void n++);
    vi.advanceTimersByTime(30);
    expect(n).toBe(1);
  });
});
