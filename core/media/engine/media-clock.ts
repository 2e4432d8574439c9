// The 20 ms heartbeat of everything that is not pure relay: decoding for taps, mixing, playing,
// recording, DTMF output. Phases run in order within a tick so a mixer sees every leg's frame of
// the same tick. Catch-up (as livekit's mixer does): after a stall the frames that fell due run
// back to back, up to `maxCatchUp`, and the rest are skipped and counted, never replayed late.
// While no phase has anything to do (a server that only relays) the clock does not wake every 20 ms:
// it wakes every half turn of the housekeeping wheel and runs the buckets that fell due, so idle
// relay legs cost a few wakeups a second instead of fifty. The first phase function added wakes it.

import type { Clock, Timer } from '../util/clock.ts';
import { TickLagHistogram, type TickLagSnapshot } from './tick-lag.ts';

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
  /** Per tick: when it finished, measured from when it fell due (see tick-lag.ts); cumulative. */
  tickLag?: TickLagSnapshot;
}

export class MediaClock {
  private readonly phases: Set<TickFn>[] = [new Set(), new Set(), new Set(), new Set()];
  /** Housekeeping spread over `wheel.length` ticks: each tick runs one bucket. */
  private readonly wheel: Set<TickFn>[];
  private wheelCursor = 0;
  private timer: Timer | undefined;
  private startMs = 0;
  private done = 0;
  /** Housekeeping bucket of the next tick (advances in both modes). */
  private turn = 0;
  /** The pending timer is an idle (housekeeping-only) wake. */
  private idle = false;
  private running = false;
  private readonly counters: ClockStats = { ticks: 0, skipped: 0, maxLagMs: 0, lastLagMs: 0, workMs: 0, maxWorkMs: 0 };
  private readonly lag = new TickLagHistogram();

  constructor(
    private readonly clock: Clock,
    readonly tickMs: number,
    private readonly maxCatchUp: number,
    private readonly onError: (err: unknown) => void = (e) => console.error('media tick failed:', e),
    housekeepingTicks = 1,
  ) {
    this.wheel = Array.from({ length: Math.max(1, Math.round(housekeepingTicks)) }, () => new Set<TickFn>());
  }

  /** Live counters; the tick-lag histogram is copied in on each read. */
  get stats(): ClockStats {
    this.counters.tickLag = this.lag.snapshot();
    return this.counters;
  }

  add(phase: Phase, fn: TickFn): () => void {
    this.phases[phase]!.add(fn);
    if (this.idle && !this.running && this.timer) {
      // Leave idle now rather than at the next idle wake: the new work starts on the next 20 ms tick.
      this.timer.cancel();
      this.runIdle();
      this.schedule();
    }
    return () => this.phases[phase]!.delete(fn);
  }

  private get active(): boolean {
    for (const set of this.phases) if (set.size > 0) return true;
    return false;
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
    this.counters.ticks++;
    for (const set of this.phases) this.runAll(set);
    this.runAll(this.wheel[this.turn++ % this.wheel.length]!);
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
    this.idle = !this.active;
    const ahead = this.idle ? Math.max(1, Math.floor(this.wheel.length / 2)) : 1;
    const nextAt = this.startMs + (this.done + ahead) * this.tickMs;
    this.timer = this.clock.setTimeout(() => this.run(), Math.max(0, nextAt - this.clock.now()));
  }

  /** Housekeeping only: the bucket of every tick that fell due since the last run, each at most once. */
  private runIdle(): void {
    const due = Math.floor((this.clock.now() - this.startMs) / this.tickMs) - this.done;
    if (due <= 0) return;
    const n = Math.min(due, this.wheel.length);
    for (let i = 0; i < n; i++) this.runAll(this.wheel[this.turn++ % this.wheel.length]!);
    this.done += due;
  }

  private run(): void {
    this.running = true;
    try {
      if (this.idle && !this.active) this.runIdle();
      else this.runTicks();
    } finally {
      this.running = false;
    }
    this.schedule();
  }

  private runTicks(): void {
    const st = this.counters;
    const now = this.clock.now();
    const due = Math.floor((now - this.startMs) / this.tickMs) - this.done;
    const firstDue = this.startMs + (this.done + 1) * this.tickMs;
    const lag = now - firstDue;
    st.lastLagMs = lag;
    if (lag > st.maxLagMs) st.maxLagMs = lag;
    const run = Math.min(due, this.maxCatchUp);
    let end = now;
    for (let i = 0; i < run; i++) {
      this.tickOnce();
      end = this.clock.now();
      // Each catch-up tick is judged against its own due time, not the first one's.
      this.lag.record(end - (firstDue + i * this.tickMs));
    }
    if (run > 0) {
      const work = (end - now) / run;
      st.workMs! += work * run;
      if (work > st.maxWorkMs!) st.maxWorkMs = work;
    }
    if (due > run) {
      st.skipped += due - run;
      this.lag.recordSkipped(due - run);
    }
    this.done += Math.max(due, 0);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }
}
