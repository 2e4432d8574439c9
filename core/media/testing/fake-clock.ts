// A manual clock: `advance(ms)` fires due timers in time order. Tests never sleep.

import type { Clock, Timer } from '../util/clock.ts';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class FakeClock implements Clock {
  private time = 0;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(start = 1000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const p: Pending = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.pending.push(p);
    return { cancel: () => (p.cancelled = true) };
  }

  /** Move time forward, running every timer that falls due on the way (bounded). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (let guard = 0; guard < 1_000_000; guard++) {
      this.pending = this.pending.filter((p) => !p.cancelled);
      this.pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.pending[0];
      if (!next || next.at > end) break;
      this.pending.shift();
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
    this.time = end;
  }

  /** Move time without running timers, as a blocked event loop would; the next advance() catches up. */
  jump(ms: number): void {
    this.time += ms;
  }

  get pendingCount(): number {
    return this.pending.filter((p) => !p.cancelled).length;
  }
}
