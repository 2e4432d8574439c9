// Requests from the network that an app is answering: their records, and the guard that answers
// 408 when an app never does (drachtio drops them silently after 64 s; callers deserve an answer).
import type { SipRequest } from '../parser/message.ts';
import type { ServerTransaction } from '../transaction/transaction-layer.ts';
import type { ServerTransactionUser } from '../transaction/transaction.ts';
import type { Destination, Listener } from '../transport/transport-layer.ts';
import type { TimerHandle } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import type { Dialog } from '../dialog/dialog.ts';
import { responseFor } from './build.ts';
import type { EngineContext, IncomingRequest } from './context.ts';

/** Transaction → the app-facing record, so a CANCEL can find what its INVITE became. */
export const incomingByStx = new WeakMap<ServerTransaction, IncomingRequest>();

/** What a settled request's transaction reports to: nothing. */
const SETTLED: ServerTransactionUser = {};

export function newIncoming(
  txnId: string, req: SipRequest, stx: ServerTransaction, source: Destination, listener: Listener,
  app: IncomingRequest['app'], dialog: Dialog | undefined, inDialog: boolean,
): IncomingRequest {
  return {
    txnId, req, stx, source, listener, app, dialog, inDialog, deadline: 0,
    canceled: false, finalSent: false, rseq: 0, reliable: undefined, earlyUpdate: undefined,
  };
}

/** RFC 3262: the UAC offered 100rel (Supported or Require). */
export function peerSupports100rel(req: SipRequest): boolean {
  return /(^|[\s,])100rel([\s,]|$)/i.test(`${req.get('supported') ?? ''},${req.get('require') ?? ''}`);
}

/** A tracked request whose transaction ends without a final response (transport error, shutdown). */
class TrackedRequest implements ServerTransactionUser {
  constructor(
    private readonly ctx: EngineContext,
    private readonly inc: IncomingRequest,
  ) {}

  onTerminated(): void {
    if (this.ctx.incoming.get(this.inc.txnId) === this.inc) this.ctx.incoming.delete(this.inc.txnId);
  }
}

/** Record a request handed to `app`, under a new txnId, guarded against the app never answering. */
export function trackIncoming(
  ctx: EngineContext, req: SipRequest, stx: ServerTransaction, source: Destination, listener: Listener,
  app: IncomingRequest['app'], dialog: Dialog | undefined, inDialog: boolean,
): IncomingRequest {
  const inc = newIncoming(newId(), req, stx, source, listener, app, dialog, inDialog);
  const { timerC, t1 } = ctx.config.timers;
  inc.deadline = ctx.clock.now() + (req.method === 'INVITE' ? timerC : 64 * t1);
  ctx.incoming.set(inc.txnId, inc);
  incomingByStx.set(stx, inc);
  stx.user = new TrackedRequest(ctx, inc);
  ctx.incomingGuard.watch();
  return inc;
}

/**
 * The request has its final response (or the app can no longer give one): forget it. Its
 * transaction lingers for retransmissions only (Timers J/L) and keeps nothing of the record.
 */
export function settleIncoming(ctx: EngineContext, inc: IncomingRequest): void {
  inc.finalSent = true;
  if (ctx.incoming.get(inc.txnId) === inc) ctx.incoming.delete(inc.txnId);
  for (const t of inc.reliable?.timers ?? []) t.cancel();
  inc.reliable = undefined;
  if (incomingByStx.get(inc.stx) === inc) {
    incomingByStx.delete(inc.stx);
    inc.stx.user = SETTLED;
  }
}

/**
 * One periodic sweep instead of a timer per request: requests are answered within milliseconds
 * and the few left waiting (ringing INVITEs) are checked every `periodMs`, so a 408 goes out at
 * most that late. The sweep runs only while requests are pending.
 */
export class IncomingGuard {
  private timer: TimerHandle | undefined;

  constructor(
    private readonly ctx: EngineContext,
    private readonly periodMs: number,
  ) {}

  watch(): void {
    if (this.timer === undefined) this.timer = this.ctx.clock.setTimer(this.periodMs, this.sweep);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private readonly sweep = (): void => {
    this.timer = undefined;
    const ctx = this.ctx;
    const now = ctx.clock.now();
    for (const inc of [...ctx.incoming.values()]) {
      if (inc.deadline > now || inc.finalSent) continue;
      ctx.log.warn(`app never answered ${inc.req.method} ${inc.txnId}; sending 408`);
      settleIncoming(ctx, inc);
      inc.stx.respond(responseFor(inc.req, 408, undefined, inc.dialog?.localTag ?? 'eng' + newId()));
      if (inc.dialog && !inc.inDialog) ctx.dialogs.delete(inc.dialog);
    }
    if (ctx.incoming.size > 0) this.watch();
  };
}
