// State shared by the engine's request/response paths.
import type { SipRequest } from '../parser/message.ts';
import type { AppConnection } from '../drachtio/app-connection.ts';
import type { AdminServer } from '../drachtio/admin-server.ts';
import type { Dialog } from '../dialog/dialog.ts';
import type { DialogStore } from '../dialog/dialog-store.ts';
import type { ClientTransaction, ServerTransaction, TransactionLayer } from '../transaction/transaction-layer.ts';
import type { Destination, Listener, TransportLayer } from '../transport/transport-layer.ts';
import type { Clock, TimerHandle } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';
import type { EngineConfig } from './engine-config.ts';

/** A request from the network that an app is answering. */
export interface IncomingRequest {
  txnId: string;
  req: SipRequest;
  stx: ServerTransaction;
  source: Destination;
  listener: Listener;
  app: AppConnection;
  dialog: Dialog | undefined;
  /** The request was sent inside an existing dialog (not the dialog-creating INVITE). */
  inDialog: boolean;
  canceled: boolean;
  finalSent: boolean;
  /** When the guard answers 408 for an app that never answered (clock ms). */
  deadline: number;
  /** RFC 3262: RSeq counter and the reliable provisional awaiting PRACK. */
  rseq: number;
  reliable: { rseq: number; timers: TimerHandle[] } | undefined;
  /** An UPDATE received in the early dialog, answered by the app with the INVITE txnId. */
  earlyUpdate: IncomingRequest | undefined;
}

/** A request an app asked us to send. */
export interface OutgoingRequest {
  txnId: string;
  req: SipRequest;
  ctx: ClientTransaction | undefined;
  app: AppConnection;
  dialog: Dialog | undefined;
  dest: Destination;
  listener: Listener;
  provisionalSeen: boolean;
  finalSeen: boolean;
  /** CANCEL the app asked for before any provisional arrived (§9.1: hold it). */
  heldCancel: SipRequest | undefined;
  canceled: boolean;
}

export interface EngineContext {
  readonly config: EngineConfig;
  readonly transport: TransportLayer;
  readonly txns: TransactionLayer;
  readonly dialogs: DialogStore;
  readonly admin: AdminServer;
  readonly incoming: Map<string, IncomingRequest>;
  readonly outgoing: Map<string, OutgoingRequest>;
  readonly clock: Clock;
  readonly log: Logger;
  readonly counters: Record<string, number>;
  readonly incomingGuard: { watch(): void };
  readonly proxy: {
    handleCancel(stx: import('../transaction/server-invite-transaction.ts').InviteServerTransaction, cancel: SipRequest): boolean;
  };
  /** Serialize and send outside any transaction (ACK for 2xx, stateless replies). */
  sendRaw(msg: SipRequest | import('../parser/message.ts').SipResponse, dest: Destination): Buffer;
  /** Put already-serialized bytes on the wire (retransmissions), traced like every send. */
  wireSend(data: Buffer, dest: Destination, onError?: (e: string) => void): void;
  count(name: string): void;
  /** The event loop has been (nearly) always busy lately: the engine is behind its input. */
  loopSaturated(): boolean;
}
