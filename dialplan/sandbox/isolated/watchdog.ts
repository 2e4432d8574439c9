// CPU watchdog for one isolate. isolated-vm's `timeout` only covers the synchronous part of an
// entry, not promise continuations after an `await` (isolated-vm#318, #475), so this polls the
// isolate's CPU time and kills it when it grows past the limit with no sign of progress. Every
// accepted op and every completed entry is progress: a runaway makes none (the isolate's single
// thread is busy), while a healthy isolate with 1000 calls makes plenty (no false kills).

export interface CpuSource {
  readonly cpuTime: bigint;
  readonly isDisposed: boolean;
}

export interface WatchdogOptions {
  pollMs: number;
  limitMs: number;
  /** Called once, with the CPU used since the last progress. */
  onRunaway(cpuMs: number): void;
  /**
   * Runs the second look before a kill (default setImmediate: after the event loop's I/O phase).
   * A busy event loop can run the poll timer before the I/O that delivers the isolate's finished
   * tasks, so CPU the isolate spent on real work would look like a runaway's.
   */
  defer?(f: () => void): void;
  /** The isolate was disposed by someone else (isolated-vm on its memory limit). */
  onDisposed(): void;
}

export interface Watchdog {
  progress(): void;
  /** Poll only while calls are in flight; an idle isolate needs no timer. */
  setActive(active: boolean): void;
  stop(): void;
  /** One poll, for tests that drive it by hand. */
  tick(): void;
}

export function createWatchdog(source: CpuSource, o: WatchdogOptions): Watchdog {
  const limitNs = BigInt(Math.round(o.limitMs * 1e6));
  let seq = 0;
  let seen = -1;
  let base = 0n;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const stop = (): void => {
    stopped = true;
    if (timer) clearInterval(timer);
    timer = null;
  };
  let confirming = false;
  const tick = (): void => {
    if (stopped || confirming) return;
    if (source.isDisposed) {
      stop();
      o.onDisposed();
      return;
    }
    const cpu = source.cpuTime;
    if (seq !== seen) {
      seen = seq;
      base = cpu;
      return;
    }
    if (cpu - base <= limitNs) return;
    confirming = true;
    (o.defer ?? setImmediate)(() => {
      confirming = false;
      if (stopped) return;
      if (source.isDisposed) {
        stop();
        o.onDisposed();
        return;
      }
      if (seq !== seen) {
        seen = seq; // the progress was only waiting in the queue
        base = source.cpuTime;
        return;
      }
      stop();
      o.onRunaway(Number(source.cpuTime - base) / 1e6);
    });
  };
  return {
    progress: () => void seq++,
    setActive(active) {
      if (stopped) return;
      if (active && !timer) {
        seq++; // rebase on the first tick: idle time is not runaway time
        timer = setInterval(tick, o.pollMs);
        timer.unref();
      } else if (!active && timer) {
        clearInterval(timer);
        timer = null;
      }
    },
    stop,
    tick,
  };
}
