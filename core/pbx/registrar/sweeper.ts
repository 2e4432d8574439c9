// Periodic housekeeping: expired bindings leave the store (lookups already skip them), and the
// auth state (nonce counts, throttled sources) forgets what is over.
import type { Clock, TimerHandle } from '../../sip/util/clock.ts';
import type { Logger } from '../../sip/util/logger.ts';

export interface Sweepable {
  sweep?(): unknown;
  prune?(): unknown;
}

/** Runs every `intervalMs` until stopped; returns the stop function. */
export function startSweeper(items: readonly Sweepable[], opts: { clock: Clock; intervalMs: number; log: Logger }): () => void {
  let timer: TimerHandle | undefined;
  let stopped = false;
  const run = () => {
    for (const item of items) {
      try {
        item.sweep?.();
        item.prune?.();
      } catch (err) {
        opts.log.error(`sweeper: ${(err as Error).message}`);
      }
    }
    if (!stopped) timer = opts.clock.setTimer(opts.intervalMs, run);
  };
  timer = opts.clock.setTimer(opts.intervalMs, run);
  return () => {
    stopped = true;
    timer?.cancel();
  };
}
