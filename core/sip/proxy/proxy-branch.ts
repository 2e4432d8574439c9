// One client branch of a proxy session: its transaction, Timer C and CANCEL (RFC 3261 §16.6–16.10).
import type { SipRequest, SipResponse } from '../parser/message.ts';
import type { Destination } from '../transport/transport-layer.ts';
import type { TimerHandle } from '../util/clock.ts';
import type { EngineContext } from '../engine/context.ts';
import { localResponse } from '../engine/build.ts';
import { buildCancel } from '../transaction/cancel.ts';
import { IGNORE_RESPONSES } from '../transaction/transaction.ts';

export interface BranchEvents {
  onProvisional(res: SipResponse): void;
  onFinal(res: SipResponse): void;
  onProvisionalTimeout(): void;
}

export class ProxyBranch {
  finished = false;
  private provisional = false;
  private cancelWanted = false;
  private canceled = false;
  private cancelReason: string | undefined;
  private timerC: TimerHandle | undefined;
  private provTimer: TimerHandle | undefined;
  dest: Destination | undefined;

  constructor(
    private readonly ctx: EngineContext,
    private readonly req: SipRequest,
    private readonly branch: string,
    private readonly target: Destination | undefined | Promise<Destination | undefined>,
    private readonly events: BranchEvents,
    private readonly provisionalTimeoutMs: number,
  ) {}

  start(): void {
    if (this.target instanceof Promise) this.target.then((d) => this.send(d), () => this.send(undefined));
    else this.send(this.target);
  }

  private send(dest: Destination | undefined): void {
    if (!dest) return this.final(localResponse(this.req, 503, 'Unresolvable Target'));
    this.dest = dest;
    this.ctx.txns.sendRequest(this.req, this.branch, dest, {
      receiveResponse: (res) => (res.status < 200 ? this.onProvisional(res) : this.final(res)),
      onRequestTimeout: () => this.final(localResponse(this.req, 408)),
      onTransportError: () => this.final(localResponse(this.req, 503, 'Transport Error')),
    });
    if (this.req.method === 'INVITE') {
      this.armTimerC();
      if (this.provisionalTimeoutMs > 0) {
        this.provTimer = this.ctx.clock.setTimer(this.provisionalTimeoutMs, () => {
          if (!this.provisional && !this.finished) this.events.onProvisionalTimeout();
        });
      }
    }
  }

  /** Timer C (§16.6 step 11): > 3 min without a final response → CANCEL / 408. */
  private armTimerC(): void {
    this.timerC?.cancel();
    this.timerC = this.ctx.clock.setTimer(this.ctx.config.timers.timerC, () => {
      if (this.finished) return;
      if (this.provisional) this.cancel();
      this.final(localResponse(this.req, 408));
    });
  }

  private onProvisional(res: SipResponse): void {
    if (this.finished) {
      // Canceled before any provisional (§9.1): its CANCEL can only go out now.
      if (this.cancelWanted && !this.canceled) {
        this.provisional = true;
        this.sendCancel();
      }
      return;
    }
    this.provisional = true;
    this.provTimer?.cancel();
    if (res.status > 100) this.armTimerC();
    if (this.cancelWanted && !this.canceled) this.sendCancel();
    if (!this.cancelWanted) this.events.onProvisional(res);
  }

  private final(res: SipResponse): void {
    if (this.finished) return;
    this.finished = true;
    this.timerC?.cancel();
    this.provTimer?.cancel();
    this.events.onFinal(res);
  }

  /**
   * §16.10: CANCEL only after a provisional; before that, remember and send when one arrives.
   * For the session a branch canceled before any provisional is over at once (a local 487), but
   * its transaction goes on: the target may have the INVITE and be ringing, and must get the
   * CANCEL when its provisional arrives (otherwise it rings on, with nobody left to answer).
   */
  cancel(reason?: string): void {
    if (this.finished || this.req.method !== 'INVITE') return;
    this.cancelWanted = true;
    this.cancelReason = reason;
    if (this.provisional) {
      if (!this.canceled) this.sendCancel();
    } else {
      this.final(localResponse(this.req, 487));
    }
  }

  private sendCancel(): void {
    if (!this.dest) return;
    this.canceled = true;
    const c = buildCancel(this.req);
    if (this.cancelReason) c.append('Reason', this.cancelReason);
    this.ctx.txns.sendRequest(c, this.branch, this.dest, IGNORE_RESPONSES);
  }
}
