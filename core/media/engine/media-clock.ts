// The 20 ms heartbeat of everything that is not pure relay: decoding for taps, mixing, playing,
// recording, DTMF output. Phases run in order within a tick so a mixer sees every leg's frame of
// the same tick. Catch-up (as livekit's mixer does): after a stall the frames that fell due run
// back to back, up to `maxCatchUp`, and the rest are skipped and counted, never replayed late.

import type { Clock, Timer } from '../util/clock.ts';

export enum Phase {
  /** Legs decode and feed their taps. */
  Input = 0,
  /** Mixers and bridge recorders combine what the taps collected. */
  Mix = 1,
  /** Players and DTMF senders produce outgoing audio. */
  Output = 2,
  /** Recorders flush, timers, stats. */
  After = 3,
}

export type TickFn = () => void;

export interface ClockStats {
  ticks: number;
  skipped: number;
  maxLagMs: number;
  lastLagMs: number;
  /** Time spent running ticks (all phases), in total and the longest one: the work, without the waiting. */
  workMs?: number;
  maxWorkMs?: number;
}

export class MediaClock {
  private readonly phases: Set<TickFn>[] = [new Set(), new Set(), new Set(), new Set()];
  /** Housekeeping spread over `wheel.length` ticks: each tick runs one bucket. */
  private readonly wheel: Set<TickFn>[];
  private wheelCursor = 0;
  private timer: Timer | undefined;
  private startMs = 0;
  private done = 0;
  readonly stats: ClockStats = { ticks: 0, skipped: 0, maxLagMs: 0, lastLagMs: 0, workMs: 0, maxWorkMs: 0 };

  constructor(
    private readonly clock: Clock,
    readonly tickMs: number,
    private readonly maxCatchUp: number,
    private readonly onError: (err: unknown) => void = (e) => console.error('media tick failed:', e),
    housekeepingTicks = 1,
  ) {
    this.wheel = Array.from({ length: Math.max(1, Math.round(housekeepingTicks)) }, () => new Set<TickFn>());
  }

  add(phase: Phase, fn: TickFn): () => void {
    this.phases[phase]!.add(fn);
    return () => this.phases[phase]!.delete(fn);
  }

  /**
   * Run `fn` once every `housekeepingTicks` ticks, after the phases. Registrations go round-robin
   * over the ticks, so a thousand idle relay legs cost a tenth of them per tick, not all of them
   * every tenth tick. For checks that tolerate that granularity (timeouts, RTCP, stale DTMF).
   */
  addHousekeeping(fn: TickFn): () => void {
    const bucket = this.wheel[this.wheelCursor++ % this.wheel.length]!;
    bucket.add(fn);
    return () => bucket.delete(fn);
  }

  /** Run one tick of every phase now (tests call this directly instead of starting the timer). */
  tickOnce(): void {
    const tick = this.stats.ticks++;
    for (const set of this.phases) this.runAll(set);
    this.runAll(this.wheel[tick % this.wheel.length]!);
  }

  private runAll(set: Set<TickFn>): void {
    for (const fn of set) {
      try {
        fn();
      } catch (err) {
        this.onError(err);
      }
    }
  }

  start(): void {
    if (this.timer) return;
    this.startMs = this.clock.now();
    this.done = 0;
    this.schedule();
  }

  private schedule(): void {
    const nextAt = this.startMs + (this.done + 1) * this.tickMs;
    this.timer = this.clock.setTimeout(() => this.run(), Math.max(0, nextAt - this.clock.now()));
  }

  private run(): void {
    const now = this.clock.now();
    const due = Math.floor((now - this.startMs) / this.tickMs) - this.done;
    const lag = now - (this.startMs + (this.done + 1) * this.tickMs);
    this.stats.lastLagMs = lag;
    if (lag > this.stats.maxLagMs) this.stats.maxLagMs = lag;
    const run = Math.min(due, this.maxCatchUp);
    for (let i = 0; i < run; i++) this.tickOnce();
    if (run > 0) {
      const work = (this.clock.now() - now) / run;
      this.stats.workMs! += work * run;
      if (work > this.stats.maxWorkMs!) this.stats.maxWorkMs = work;
    }
    if (due > run) this.stats.skipped += due - run;
    this.done += Math.max(due, 0);
    this.schedule();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }
}
