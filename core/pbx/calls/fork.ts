// Ringing the contacts of a callee: in parallel (first 200 wins, the others are CANCELed with
// RFC 3326 "Call completed elsewhere") or one after another by q with a per-contact timeout.
import type { Clock, TimerHandle } from '../../sip/util/clock.ts';
import type { DialogApi, SrfDialog, SrfProvisional, SrfSipError, SrfUacRequest } from './srf-dialogs.ts';
import { callerStatusFor } from './outcome.ts';
import type { PlayItem } from './media-call.ts';

export interface ForkTarget {
  uri: string;
  /** srf `proxy`: where the INVITE goes (a NATed phone's source address). */
  nextHop: string | undefined;
  /** How long this target rings (overrides perContactTimeoutMs; in parallel forks it stops this branch only). */
  timeoutMs?: number;
  /** Played to the callee on answer; the call is connected only after they press a key (anchored calls). */
  confirm?: readonly PlayItem[];
}

export interface ForkOptions {
  strategy: 'parallel' | 'sequential';
  /** Whole ringing time before the caller gets "no answer". */
  ringTimeoutMs: number;
  /** Sequential: how long each contact rings before the next one. */
  perContactTimeoutMs: number;
  localSdp: string;
  headers: Record<string, string>;
  clock: Clock;
  /** First 18x from any branch, for the caller's ringback / early media. */
  onProvisional(res: SrfProvisional): void;
}

export type ForkResult =
  | { kind: 'answered'; dialog: SrfDialog; target: ForkTarget }
  | { kind: 'failed'; status: number; reason: 'busy' | 'no-answer' | 'rejected' | 'canceled' };

const COMPLETED_ELSEWHERE = 'SIP;cause=200;text="Call completed elsewhere"';

interface Branch {
  target: ForkTarget;
  req: SrfUacRequest | undefined;
  done: boolean;
  cancelWith: string | undefined;
}

export class Fork {
  private readonly branches: Branch[] = [];
  private readonly failures: number[] = [];
  private canceled = false;
  private timedOut = false;

  constructor(
    private readonly api: DialogApi,
    private readonly opts: ForkOptions,
  ) {}

  /** The caller hung up (CANCEL): stop every branch. */
  cancel(): void {
    this.canceled = true;
    for (const b of this.branches) this.stop(b);
  }

  async run(targets: readonly ForkTarget[]): Promise<ForkResult> {
    const ring = this.opts.clock.setTimer(this.opts.ringTimeoutMs, () => {
      this.timedOut = true;
      for (const b of this.branches) this.stop(b);
    });
    try {
      const winner = this.opts.strategy === 'parallel' ? await this.parallel(targets) : await this.sequential(targets);
      if (winner) return { kind: 'answered', ...winner };
      if (this.canceled) return { kind: 'failed', status: 487, reason: 'canceled' };
      if (this.timedOut && !this.failures.some((s) => s !== 487 && s !== 408)) return { kind: 'failed', status: 480, reason: 'no-answer' };
      return callerStatusFor(this.failures);
    } finally {
      ring.cancel();
    }
  }

  private async parallel(targets: readonly ForkTarget[]): Promise<{ dialog: SrfDialog; target: ForkTarget } | undefined> {
    return new Promise((resolve) => {
      let pending = targets.length;
      let won = false;
      if (pending === 0) resolve(undefined);
      for (const t of targets) {
        let timer: TimerHandle | undefined;
        const started = t.timeoutMs === undefined ? undefined : (b: Branch) => {
          timer = this.opts.clock.setTimer(t.timeoutMs!, () => this.stop(b));
        };
        void this.attempt(t, started).then((dialog) => {
          timer?.cancel();
          pending--;
          if (dialog && !won) {
            won = true;
            for (const b of this.branches) if (b.target !== t) this.stop(b, COMPLETED_ELSEWHERE);
            resolve({ dialog, target: t });
          } else if (dialog) {
            void dialog.destroy(); // a second answer raced the first: hang it up
          }
          if (pending === 0 && !won) resolve(undefined);
        });
      }
    });
  }

  private async sequential(targets: readonly ForkTarget[]): Promise<{ dialog: SrfDialog; target: ForkTarget } | undefined> {
    for (const t of targets) {
      if (this.canceled || this.timedOut) return undefined;
      let timer: TimerHandle | undefined;
      const p = this.attempt(t, (b) => {
        timer = this.opts.clock.setTimer(t.timeoutMs ?? this.opts.perContactTimeoutMs, () => this.stop(b));
      });
      const dialog = await p;
      timer?.cancel();
      if (dialog) return { dialog, target: t };
    }
    return undefined;
  }

  /** One branch: resolves with its dialog if it answered, else undefined (status recorded). */
  private async attempt(target: ForkTarget, started?: (b: Branch) => void): Promise<SrfDialog | undefined> {
    const b: Branch = { target, req: undefined, done: false, cancelWith: undefined };
    this.branches.push(b);
    started?.(b);
    try {
      const dialog = await this.api.createUAC(
        target.uri,
        { localSdp: this.opts.localSdp, headers: this.opts.headers, ...(target.nextHop ? { proxy: target.nextHop } : {}) },
        {
          cbRequest: (_err, req) => {
            b.req = req;
            // Stopped before srf handed us the request: cancel now.
            if (b.cancelWith !== undefined) req.cancel(cancelHeaders(b.cancelWith));
          },
          cbProvisional: (res) => {
            if (!b.done && res.status > 100) this.opts.onProvisional(res);
          },
        },
      );
      b.done = true;
      if (b.cancelWith !== undefined) {
        // It answered while we were canceling it (the 200/CANCEL race): hang up.
        void dialog.destroy();
        return undefined;
      }
      return dialog;
    } catch (err) {
      b.done = true;
      this.failures.push((err as SrfSipError).status ?? 500);
      return undefined;
    }
  }

  private stop(b: Branch, reason = ''): void {
    if (b.done || b.cancelWith !== undefined) return;
    b.cancelWith = reason;
    b.req?.cancel(cancelHeaders(reason));
  }
}

function cancelHeaders(reason: string): { headers?: Record<string, string> } {
  return reason ? { headers: { Reason: reason } } : {};
}
