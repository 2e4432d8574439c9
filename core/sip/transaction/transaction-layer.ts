// Owns every live transaction and matches incoming messages to them (RFC 3261 §17.1.3, §17.2.3).
import type { SipRequest, SipResponse } from '../parser/message.ts';
import { viaBranch, parseCSeq, topVia, cseqOf } from '../parser/index.ts';
import type { Destination } from '../transport/transport-layer.ts';
import { InviteClientTransaction } from './client-invite-transaction.ts';
import { NonInviteClientTransaction } from './client-non-invite-transaction.ts';
import { InviteServerTransaction } from './server-invite-transaction.ts';
import { NonInviteServerTransaction } from './server-non-invite-transaction.ts';
import type { TransactionBase } from './transaction-base.ts';
import type { ClientTransactionUser, ServerTransactionUser, TransactionEnv } from './transaction.ts';

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

const MAGIC = 'z9hG4bK';

// Keys are built with join, not template literals: join makes one flat string, where a template
// makes a tree of pieces whose branch piece is a slice of the whole received message text, and a
// key kept for a transaction's 32 s would keep all that text alive.

/**
 * Server-side key: branch + sent-by + method, ACK folded onto INVITE (§17.2.3). Requests from
 * pre-3261 peers (no magic cookie) fall back to the dialog-identifying fields.
 */
export function serverKey(req: SipRequest, methodOverride?: string): string | undefined {
  const via = topVia(req);
  if (via === undefined || !via.ok) return undefined;
  const method = methodOverride ?? (req.method === 'ACK' ? 'INVITE' : req.method);
  const branch = viaBranch(via.value);
  const sentBy = `${via.value.host}:${via.value.port ?? ''}`;
  if (branch && branch.startsWith(MAGIC)) return [branch, sentBy, method].join('|');
  const cseq = cseqOf(req) ?? parseCSeq('');
  return ['2543', req.get('call-id'), req.get('from'), cseq.ok ? cseq.value.seq : '', sentBy, method].join('|');
}

export function clientKey(branch: string, method: string): string {
  return [branch, method === 'ACK' ? 'INVITE' : method].join('|');
}

export class TransactionLayer {
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly servers = new Map<string, ServerTransaction>();

  constructor(readonly env: TransactionEnv) {}

  private readonly clientGone = (t: TransactionBase): void => {
    if (this.clients.get(t.key) === t) this.clients.delete(t.key);
  };

  private readonly serverGone = (t: TransactionBase): void => {
    if (this.servers.get(t.key) === t) this.servers.delete(t.key);
  };

  get count(): { client: number; server: number } {
    return { client: this.clients.size, server: this.servers.size };
  }

  /**
   * Start a client transaction; the request must already carry our Via with `branch`. `bytes`:
   * the request serialized already, not to be serialized twice.
   */
  sendRequest(req: SipRequest, branch: string, dest: Destination, user: ClientTransactionUser, bytes?: Buffer): ClientTransaction {
    const key = clientKey(branch, req.method);
    const txn =
      req.method === 'INVITE'
        ? new InviteClientTransaction(key, this.env, dest, req, user, this.clientGone, bytes)
        : new NonInviteClientTransaction(key, this.env, dest, req, user, this.clientGone, bytes);
    this.clients.set(key, txn);
    txn.start();
    return txn;
  }

  /** Route a response to its client transaction; false when none matches (stray or forwarded). */
  receiveResponse(res: SipResponse): boolean {
    const via = topVia(res);
    const cseq = cseqOf(res);
    if (via === undefined || cseq === undefined || !via.ok || !cseq.ok) return false;
    const branch = viaBranch(via.value);
    if (!branch) return false;
    const txn = this.clients.get(clientKey(branch, cseq.value.method));
    if (!txn) return false;
    txn.receiveResponse(res);
    return true;
  }

  findServer(req: SipRequest): ServerTransaction | undefined {
    const key = serverKey(req);
    return key === undefined ? undefined : this.servers.get(key);
  }

  /** The INVITE transaction a CANCEL targets (§9.2: same branch, method INVITE). */
  findInviteForCancel(cancel: SipRequest): InviteServerTransaction | undefined {
    const key = serverKey(cancel, 'INVITE');
    const t = key === undefined ? undefined : this.servers.get(key);
    return t instanceof InviteServerTransaction ? t : undefined;
  }

  createServer(req: SipRequest, dest: Destination, user: ServerTransactionUser): ServerTransaction | undefined {
    const key = serverKey(req);
    if (key === undefined) return undefined;
    const txn =
      req.method === 'INVITE'
        ? new InviteServerTransaction(key, this.env, dest, user, this.serverGone)
        : new NonInviteServerTransaction(key, this.env, dest, user, this.serverGone);
    this.servers.set(key, txn);
    return txn;
  }

  findClient(branch: string, method: string): ClientTransaction | undefined {
    return this.clients.get(clientKey(branch, method));
  }

  shutdown(): void {
    for (const t of [...this.clients.values(), ...this.servers.values()]) t.abort();
  }
}
