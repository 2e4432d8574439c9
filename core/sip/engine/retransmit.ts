// The UAS core's own retransmissions: the 2xx awaiting its ACK (RFC 3261 §13.3.1.4) and the
// reliable provisional awaiting its PRACK (RFC 3262 §3).
import type { Destination } from '../transport/transport-layer.ts';
import type { TimerHandle } from '../util/clock.ts';
import type { EngineContext } from './context.ts';

export interface RetransmitOwner {
  /** Still waiting: the ACK or PRACK has not come. */
  due(): boolean;
  resent?(): void;
  /** 64*T1 passed while still due. */
  giveUp(): void;
}

/** A resend timer firing this much later than asked means the engine itself lags behind. */
const LAG_MS = 100;

/**
 * Re-sends `bytes` over UDP at T1, doubling up to `capMs`, while the owner is due; gives up at
 * 64*T1. One handle cancels both timers. (Classes and argument-position arrows only: under tsx
 * every named closure costs a defineProperty, and this runs for every call.)
 */
export class Retransmitter implements TimerHandle {
  private resendTimer: TimerHandle | undefined;
  private readonly giveUpTimer: TimerHandle;
  private armedAt = 0;
  private deferred = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly bytes: Buffer,
    private readonly dest: Destination,
    private readonly capMs: number,
    private readonly owner: RetransmitOwner,
  ) {
    const { t1 } = ctx.config.timers;
    if (dest.protocol === 'udp') this.arm(t1);
    this.giveUpTimer = ctx.clock.setTimer(64 * t1, () => this.expire());
  }

  cancel(): void {
    this.resendTimer?.cancel();
    this.giveUpTimer.cancel();
  }

  private arm(ms: number): void {
    this.armedAt = this.ctx.clock.now();
    this.resendTimer = this.ctx.clock.setTimer(ms, () => this.resend(ms));
  }

  private resend(ms: number): void {
    if (!this.owner.due()) return;
    // Retransmissions make up for loss in the network, not for our own backlog: a timer this late,
    // or an event loop that has had no idle moment lately, means the engine is behind, and the ACK
    // (or PRACK) may well be waiting, unread, in its socket. Resending now would only add load
    // (and a peer like sipp fails a call on a 2xx it already ACKed), so give the backlog one
    // interval to drain first.
    const lag = this.ctx.clock.now() - this.armedAt - ms;
    if ((lag > LAG_MS || this.ctx.loopSaturated()) && !this.deferred) {
      this.deferred = true;
      this.armedAt = this.ctx.clock.now();
      this.resendTimer = this.ctx.clock.setTimer(ms, () => this.resend(ms));
      return;
    }
    this.deferred = false;
    this.ctx.wireSend(this.bytes, this.dest);
    this.owner.resent?.();
    this.arm(Math.min(ms * 2, this.capMs));
  }

  private expire(): void {
    if (!this.owner.due()) return;
    this.resendTimer?.cancel();
    this.owner.giveUp();
  }
}
