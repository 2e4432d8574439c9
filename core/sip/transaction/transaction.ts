// Contracts of the RFC 3261 §17 transaction layer.
import type { SipRequest, SipResponse } from '../parser/message.ts';
import type { Clock } from '../util/clock.ts';
import type { Destination } from '../transport/transport-layer.ts';

export interface TimerConfig {
  /** RTT estimate (ms), RFC 3261 default 500. */
  t1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses (ms), default 4000. */
  t2: number;
  /** Maximum duration a message remains in the network (ms), default 5000. */
  t4: number;
  /** Timer D: how long a UDP INVITE client transaction absorbs retransmitted finals (≥32 s). */
  timerD?: number;
}

export const DEFAULT_TIMERS: TimerConfig = { t1: 500, t2: 4000, t4: 5000 };

/** What a transaction needs from below: put bytes on the wire. */
export interface TransactionSender {
  send(data: Buffer, dest: Destination, onError?: (error: string) => void): void;
  serialize(msg: SipRequest | SipResponse): Buffer;
}

export interface TransactionEnv {
  timers: TimerConfig;
  clock: Clock;
  sender: TransactionSender;
}

/** Upward calls from a client transaction to its transaction user. */
export interface ClientTransactionUser {
  receiveResponse(res: SipResponse): void;
  /** Timer B / F fired: RFC 3261 §8.1.3.1 says treat as a 408. */
  onRequestTimeout(): void;
  onTransportError(error: string): void;
  /** The transaction ended. A non-INVITE transaction says nothing more once its final went up. */
  onTerminated?(): void;
}

/** For requests whose outcome nobody waits for (engine BYEs, CANCELs, stray-fork hang-ups). */
export const IGNORE_RESPONSES: ClientTransactionUser = {
  receiveResponse() {},
  onRequestTimeout() {},
  onTransportError() {},
};

export interface ServerTransactionUser {
  /** Timer H fired: the ACK for our final response never came. */
  onAckTimeout?(): void;
  onTransportError?(error: string): void;
  onTerminated?(): void;
}

export type TransactionState =
  | 'calling'
  | 'trying'
  | 'proceeding'
  | 'completed'
  | 'accepted'
  | 'confirmed'
  | 'terminated';
