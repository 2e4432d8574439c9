// A manual clock for engine timers: tests move time forward and observe what the engine sends,
// so retransmission schedules are checked without sleeping.
import type { Clock, TimerHandle } from '../../core/sip/util/clock.ts';

interface Entry {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class FakeClock implements Clock {
  private t = 0;
  private seq = 0;
  private queue: Entry[] = [];

  now(): number {
    return this.t;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const e: Entry = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.queue.push(e);
    return { cancel: () => void (e.cancelled = true) };
  }

  /** Run every timer due within `ms`, in time order, including ones scheduled meanwhile. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.queue = this.queue.filter((e) => !e.cancelled);
      this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.queue[0];
      if (!next || next.at > end) break;
      this.queue.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }

  get pending(): number {
    return this.queue.filter((e) => !e.cancelled).length;
  }
}
