// Non-INVITE server transaction, RFC 3261 §17.2.2.
import type { SipResponse } from '../parser/message.ts';
import type { Destination } from '../transport/transport-layer.ts';
import { TransactionBase } from './transaction-base.ts';
import type { ServerTransactionUser, TransactionEnv } from './transaction.ts';

/** The legal state moves; shared by every instance. */
const NON_INVITE_SERVER_MOVES = {
  trying: ['proceeding', 'completed', 'terminated'],
  proceeding: ['completed', 'terminated'],
  completed: ['terminated'],
} as const;

export class NonInviteServerTransaction extends TransactionBase {
  private lastResponse?: Buffer;
  lastStatus = 0;
  protected readonly allowed = NON_INVITE_SERVER_MOVES;

  constructor(
    key: string,
    env: TransactionEnv,
    dest: Destination,
    public user: ServerTransactionUser,
    onGone: (t: TransactionBase) => void,
  ) {
    super(key, env, dest, 'trying', onGone);
  }

  respond(res: SipResponse): Buffer | undefined {
    if (this.state !== 'trying' && this.state !== 'proceeding') return undefined;
    const bytes = this.env.sender.serialize(res);
    this.lastResponse = bytes;
    this.lastStatus = res.status;
    this.transmit(bytes);
    if (res.status < 200) {
      if (this.state === 'trying') this.transition('proceeding');
      return bytes;
    }
    this.transition('completed');
    // Timer J: absorb request retransmissions for 64*T1 on UDP.
    this.startTimer('J', this.reliable ? 0 : 64 * this.env.timers.t1, () => this.transition('terminated'));
    return bytes;
  }

  receiveRetransmission(): void {
    // In Trying the request is absorbed silently; afterwards the last response is re-sent.
    if (this.state !== 'trying' && this.lastResponse) this.transmit(this.lastResponse);
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
