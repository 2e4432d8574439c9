// INVITE server transaction, RFC 3261 §17.2.1 with the RFC 6026 "Accepted" state.
import type { SipResponse } from '../parser/message.ts';
import type { Destination } from '../transport/transport-layer.ts';
import { TransactionBase } from './transaction-base.ts';
import type { ServerTransactionUser, TransactionEnv } from './transaction.ts';

/** The legal state moves; shared by every instance. */
const INVITE_SERVER_MOVES = {
  proceeding: ['completed', 'accepted', 'terminated'],
  completed: ['confirmed', 'terminated'],
  confirmed: ['terminated'],
  accepted: ['terminated'],
} as const;

export class InviteServerTransaction extends TransactionBase {
  private lastResponse?: Buffer;
  lastStatus = 0;
  protected readonly allowed = INVITE_SERVER_MOVES;

  constructor(
    key: string,
    env: TransactionEnv,
    dest: Destination,
    public user: ServerTransactionUser,
    onGone: (t: TransactionBase) => void,
  ) {
    super(key, env, dest, 'proceeding', onGone);
  }

  /** Builds the deferred 100 (only built if it is ever sent). */
  private pendingTrying: (() => SipResponse) | undefined;

  /**
   * §17.2.1: the server transaction "MUST generate a 100 (Trying) response unless it knows that
   * the TU will generate a provisional or final response within 200 ms". Deferring it saves a
   * datagram on every call an app answers quickly; a retransmitted INVITE gets it at once.
   */
  tryingAfter(build: () => SipResponse, ms: number): void {
    this.pendingTrying = build;
    this.startTimer('100', ms, () => this.sendTrying());
  }

  private sendTrying(): void {
    const t = this.pendingTrying;
    this.pendingTrying = undefined;
    if (t && this.state === 'proceeding' && !this.lastResponse) this.respond(t());
  }

  /** The TU's response; returns the bytes sent (the app echo needs them). */
  respond(res: SipResponse): Buffer | undefined {
    if (this.state !== 'proceeding') return undefined;
    if (this.pendingTrying) {
      this.pendingTrying = undefined;
      this.stopTimer('100');
    }
    const bytes = this.env.sender.serialize(res);
    this.lastResponse = bytes;
    this.lastStatus = res.status;
    this.transmit(bytes);
    const { t1, t2 } = this.env.timers;
    if (res.status < 200) return bytes;
    if (res.status < 300) {
      // RFC 6026 §7.1: Accepted absorbs INVITE retransmissions; 2xx retransmission is the TU's job,
      // so the bytes need not live on for the 64*T1 this lingers.
      this.lastResponse = undefined;
      this.transition('accepted');
      this.startTimer('L', 64 * t1, () => this.transition('terminated'));
      return bytes;
    }
    this.transition('completed');
    if (!this.reliable) this.armTimerG(t1, t2);
    // Timer H: the ACK never came.
    this.startTimer('H', 64 * t1, () => {
      if (this.state !== 'completed') return;
      this.transition('terminated');
      this.user.onAckTimeout?.();
    });
    return bytes;
  }

  private armTimerG(ms: number, cap: number): void {
    this.startTimer('G', ms, () => {
      if (this.state !== 'completed' || !this.lastResponse) return;
      this.transmit(this.lastResponse);
      this.armTimerG(Math.min(ms * 2, cap), cap);
    });
  }

  /** A retransmitted INVITE: re-send the latest response (§17.2.1). */
  receiveRetransmission(): void {
    if (this.pendingTrying) return this.sendTrying();
    if ((this.state === 'proceeding' || this.state === 'completed') && this.lastResponse) {
      this.transmit(this.lastResponse);
    }
  }

  /** ACK for our non-2xx final: absorbed here, never reaches the TU. */
  receiveAck(): void {
    if (this.state !== 'completed') return;
    this.stopTimer('G');
    this.stopTimer('H');
    this.transition('confirmed');
    // Timer I: absorb further ACK retransmissions for T4 on UDP.
    this.startTimer('I', this.reliable ? 0 : this.env.timers.t4, () => this.transition('terminated'));
  }

  protected transportError(error: string): void {
    if (this.state !== 'terminated') {
      this.transition('terminated');
      this.user.onTransportError?.(error);
    }
  }

  protected terminatedHook(): void {
    this.user.onTerminated?.();
  }
}
