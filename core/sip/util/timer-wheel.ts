// The engine's timers: one Node timeout for all of them, due times rounded up to a resolution.
//
// A call sets about ten RFC 3261 timers and cancels most of them. As Node timers each is an
// object in a per-duration list, each expiry its own event-loop wake-up, and under tsx each
// handle closure costs a defineProperty. Here a timer is one small object in a bucket per
// resolution step; expiries due in one step share one wake-up. Timers fire no earlier than asked
// and at most one resolution step late, in due order (ties in the order they were set).
import type { Clock, TimerHandle } from './clock.ts';

class WheelTimer implements TimerHandle {
  /** Where the timer sits while pending, so a cancel can take it out at once. */
  bucket: WheelTimer[] | undefined;
  index = 0;

  constructor(
    public fn: (() => void) | undefined,
    readonly due: number,
    readonly seq: number,
  ) {}

  /**
   * Out of its bucket straight away (swap with the last): most timers are cancelled within
   * milliseconds, and one left in place would live on, promoted by the GC, until its step passed.
   */
  cancel(): void {
    this.fn = undefined;
    const b = this.bucket;
    if (b === undefined) return;
    this.bucket = undefined;
    const last = b.pop()!;
    if (last !== this) {
      b[this.index] = last;
      last.index = this.index;
    }
  }
}

const byDue = (a: WheelTimer, b: WheelTimer): number => a.due - b.due || a.seq - b.seq;

export class TimerWheel implements Clock {
  /** Step number → timers due within that step. */
  private readonly buckets = new Map<number, WheelTimer[]>();
  /** Min-heap of the step numbers in `buckets`. */
  private readonly steps: number[] = [];
  private armedStep = Number.POSITIVE_INFINITY;
  private handle: NodeJS.Timeout | undefined;
  private seq = 0;

  constructor(private readonly resolutionMs: number) {}

  now(): number {
    return Date.now();
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    // Like setTimeout, never within the current turn: at least 1 ms ahead.
    const due = Date.now() + Math.max(1, ms);
    const step = Math.ceil(due / this.resolutionMs);
    const t = new WheelTimer(fn, due, this.seq++);
    const bucket = this.buckets.get(step);
    if (bucket !== undefined) {
      t.bucket = bucket;
      t.index = bucket.push(t) - 1;
      return t;
    }
    const fresh = [t];
    t.bucket = fresh;
    this.buckets.set(step, fresh);
    heapPush(this.steps, step);
    if (step < this.armedStep) this.arm(step);
    return t;
  }

  /** Forget every pending timer (engine shutdown). */
  clear(): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
    this.armedStep = Number.POSITIVE_INFINITY;
    this.buckets.clear();
    this.steps.length = 0;
  }

  private arm(step: number): void {
    if (this.handle) clearTimeout(this.handle);
    this.armedStep = step;
    this.handle = setTimeout(this.fire, Math.max(0, step * this.resolutionMs - Date.now()));
    // Like the engine's former Node timers: a pending retransmission never keeps a process alive.
    this.handle.unref();
  }

  private readonly fire = (): void => {
    this.handle = undefined;
    this.armedStep = Number.POSITIVE_INFINITY;
    const last = Math.floor(Date.now() / this.resolutionMs);
    while (this.steps.length > 0 && this.steps[0]! <= last) {
      const step = heapPop(this.steps);
      const bucket = this.buckets.get(step)!;
      this.buckets.delete(step);
      for (const t of bucket) t.bucket = undefined;
      if (bucket.length > 1) bucket.sort(byDue);
      for (const t of bucket) {
        // A timer cancelled by an earlier callback of this same step is skipped here.
        const fn = t.fn;
        if (fn === undefined) continue;
        t.fn = undefined;
        fn();
      }
    }
    if (this.steps.length > 0 && this.steps[0]! < this.armedStep) this.arm(this.steps[0]!);
  };
}

function heapPush(h: number[], v: number): void {
  let i = h.push(v) - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p]! <= v) break;
    h[i] = h[p]!;
    i = p;
  }
  h[i] = v;
}

function heapPop(h: number[]): number {
  const top = h[0]!;
  const last = h.pop()!;
  if (h.length === 0) return top;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= h.length) break;
    const r = l + 1;
    const c = r < h.length && h[r]! < h[l]! ? r : l;
    if (h[c]! >= last) break;
    h[i] = h[c]!;
    i = c;
  }
  h[i] = last;
  return top;
}
