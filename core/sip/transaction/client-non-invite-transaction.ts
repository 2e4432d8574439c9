// Non-INVITE client transaction, RFC 3261 §17.1.2.
import type { SipRequest, SipResponse } from '../parser/message.ts';
import type { Destination } from '../transport/transport-layer.ts';
import { TransactionBase } from './transaction-base.ts';
import { IGNORE_RESPONSES, type ClientTransactionUser, type TransactionEnv } from './transaction.ts';

/** The legal state moves; shared by every instance. */
const NON_INVITE_CLIENT_MOVES = {
  trying: ['proceeding', 'completed', 'terminated'],
  proceeding: ['completed', 'terminated'],
  completed: ['terminated'],
} as const;

export class NonInviteClientTransaction extends TransactionBase {
  /** Dropped once a final arrives: Completed only absorbs retransmitted finals. */
  private requestBytes: Buffer | undefined;
  protected readonly allowed = NON_INVITE_CLIENT_MOVES;

  constructor(
    key: string,
    env: TransactionEnv,
    dest: Destination,
    request: SipRequest,
    private user: ClientTransactionUser,
    onGone: (t: TransactionBase) => void,
    /** The request already serialized (its echo to the app needed the bytes too). */
    bytes?: Buffer,
  ) {
    super(key, env, dest, 'trying', onGone);
    this.requestBytes = bytes ?? env.sender.serialize(request);
  }

  start(): void {
    const { t1 } = this.env.timers;
    if (this.requestBytes) this.transmit(this.requestBytes);
    if (!this.reliable) this.armTimerE(t1);
    // Timer F: the request failed if no final response arrives within 64*T1.
    this.startTimer('F', 64 * t1, () => {
      if (this.state !== 'trying' && this.state !== 'proceeding') return;
      this.transition('terminated');
      this.user.onRequestTimeout();
    });
  }

  /** Timer E: T1 doubling up to T2 in Trying; fixed T2 in Proceeding (§17.1.2.2). */
  private armTimerE(ms: number): void {
    this.startTimer('E', ms, () => {
      if ((this.state !== 'trying' && this.state !== 'proceeding') || !this.requestBytes) return;
      this.transmit(this.requestBytes);
      const next = this.state === 'proceeding' ? this.env.timers.t2 : Math.min(ms * 2, this.env.timers.t2);
      this.armTimerE(next);
    });
  }

  receiveResponse(res: SipResponse): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return; // Completed absorbs retransmissions
    if (res.status < 200) {
      if (this.state === 'trying') this.transition('proceeding');
      this.user.receiveResponse(res);
      return;
    }
    this.stopTimer('E');
    this.stopTimer('F');
    this.requestBytes = undefined;
    this.transition('completed');
    // Timer K: linger T4 on UDP to absorb retransmitted finals.
    this.startTimer('K', this.reliable ? 0 : this.env.timers.t4, () => this.transition('terminated'));
    const user = this.user;
    // Completed only absorbs retransmitted finals: the TU has heard its last from us, and what it
    // holds (request, dialog) need not live on for Timer K.
    this.user = IGNORE_RESPONSES;
    user.receiveResponse(res);
  }

  protected transportError(error: string): void {
    if (this.state === 'trying' || this.state === 'proceeding') {
      this.transition('terminated');
      this.user.onTransportError(error);
    }
  }

  protected terminatedHook(): void {
    this.user.onTerminated?.();
  }
}
