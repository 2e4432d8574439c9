// INVITE client transaction, RFC 3261 §17.1.1 with the RFC 6026 "Accepted" state.
import type { SipRequest, SipResponse } from '../parser/message.ts';
import type { Destination } from '../transport/transport-layer.ts';
import { TransactionBase } from './transaction-base.ts';
import type { ClientTransactionUser, TransactionEnv } from './transaction.ts';
import { buildNon2xxAck } from './ack.ts';

/** The legal state moves; shared by every instance. */
const INVITE_CLIENT_MOVES = {
  calling: ['proceeding', 'completed', 'accepted', 'terminated'],
  proceeding: ['completed', 'accepted', 'terminated'],
  completed: ['terminated'],
  accepted: ['terminated'],
} as const;

export class InviteClientTransaction extends TransactionBase {
  private ackBytes?: Buffer;
  private requestBytes: Buffer;
  protected readonly allowed = INVITE_CLIENT_MOVES;

  constructor(
    key: string,
    env: TransactionEnv,
    dest: Destination,
    readonly request: SipRequest,
    private readonly user: ClientTransactionUser,
    onGone: (t: TransactionBase) => void,
    /** The request already serialized (its echo to the app needed the bytes too). */
    bytes?: Buffer,
  ) {
    super(key, env, dest, 'calling', onGone);
    this.requestBytes = bytes ?? env.sender.serialize(request);
  }

  start(): void {
    const { t1 } = this.env.timers;
    this.transmit(this.requestBytes);
    // Timer A: "retransmit at T1, then 2T1, 4T1…" while in Calling (§17.1.1.2).
    if (!this.reliable) this.armTimerA(t1);
    // Timer B: give up after 64*T1 without any response.
    this.startTimer('B', 64 * t1, () => {
      if (this.state !== 'calling') return;
      this.transition('terminated');
      this.user.onRequestTimeout();
    });
  }

  private armTimerA(ms: number): void {
    this.startTimer('A', ms, () => {
      if (this.state !== 'calling') return;
      this.transmit(this.requestBytes);
      this.armTimerA(ms * 2);
    });
  }

  receiveResponse(res: SipResponse): void {
    const code = res.status;
    switch (this.state) {
      case 'calling':
      case 'proceeding':
        this.stopTimer('A');
        if (code < 200) {
          if (this.state === 'calling') this.transition('proceeding');
          // Timer B only guards Calling; once a provisional arrived the TU's Timer C governs.
          this.stopTimer('B');
          this.user.receiveResponse(res);
        } else if (code < 300) {
          // RFC 6026 §7.2: enter Accepted, keep absorbing retransmitted 2xx for 64*T1.
          this.transition('accepted');
          this.startTimer('M', 64 * this.env.timers.t1, () => this.transition('terminated'));
          this.user.receiveResponse(res);
        } else {
          this.transition('completed');
          this.sendAck(res);
          // Timer D: wait for response retransmissions, ≥32 s on unreliable transports.
          this.startTimer('D', this.reliable ? 0 : (this.env.timers.timerD ?? 32_000), () =>
            this.transition('terminated'),
          );
          this.user.receiveResponse(res);
        }
        return;
      case 'completed':
        // A retransmitted final: re-send the ACK, don't tell the TU again (§17.1.1.2).
        if (code >= 300 && this.ackBytes) this.transmit(this.ackBytes);
        return;
      case 'accepted':
        // Retransmitted 2xx (or another fork's 2xx) go up: the TU re-sends its own ACK.
        if (code >= 200 && code < 300) this.user.receiveResponse(res);
        return;
      default:
        return;
    }
  }

  private sendAck(res: SipResponse): void {
    this.ackBytes = this.env.sender.serialize(buildNon2xxAck(this.request, res));
    this.transmit(this.ackBytes);
  }

  /** Stop retransmitting (e.g. CANCEL answered with 487 arrives later anyway). */
  protected transportError(error: string): void {
    if (this.state === 'calling' || this.state === 'proceeding') {
      this.transition('terminated');
      this.user.onTransportError(error);
    }
  }

  protected terminatedHook(): void {
    this.user.onTerminated?.();
  }
}
