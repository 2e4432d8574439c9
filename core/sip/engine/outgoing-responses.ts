// Responses to requests an app sent: dialog bookkeeping, then the `sip` frame up (drachtio §3.6).
import type { SipResponse } from '../parser/message.ts';
import { parseNameAddr, parseUri, serializeMessage, splitList, toTag } from '../parser/index.ts';
import { IGNORE_RESPONSES, type ClientTransactionUser } from '../transaction/transaction.ts';
import { destination } from '../transport/transport-layer.ts';
import { sipFrame } from '../drachtio/frames.ts';
import { localResponse } from './build.ts';
import type { EngineContext, OutgoingRequest } from './context.ts';
import { sendHeldCancel } from './app-requests.ts';
import { buildInDialog } from './dialog-requests.ts';

export function outgoingUser(ctx: EngineContext, out: OutgoingRequest): ClientTransactionUser {
  return new OutgoingUser(ctx, out);
}

/** A class, not an object of closures: under tsx each named closure costs a defineProperty. */
class OutgoingUser implements ClientTransactionUser {
  constructor(
    private readonly ctx: EngineContext,
    private readonly out: OutgoingRequest,
  ) {}

  receiveResponse(res: SipResponse): void {
    onResponse(this.ctx, this.out, res);
  }

  onRequestTimeout(): void {
    onResponse(this.ctx, this.out, localResponse(this.out.req, 408), true);
  }

  onTransportError(e: string): void {
    this.ctx.log.info(`transport error sending ${this.out.req.method}: ${e}`);
    onResponse(this.ctx, this.out, localResponse(this.out.req, 503, 'Transport Error'), true);
  }

  onTerminated(): void {
    if (this.ctx.outgoing.get(this.out.txnId) === this.out) this.ctx.outgoing.delete(this.out.txnId);
  }
}

function onResponse(ctx: EngineContext, out: OutgoingRequest, res: SipResponse, local = false): void {
  const status = res.status;
  const method = out.req.method;
  const dialog = out.dialog;
  if (status < 200) {
    out.provisionalSeen = true;
    if (out.heldCancel) sendHeldCancel(ctx, out);
  }
  if (dialog && method === 'INVITE' && status >= 200 && status < 300 && out.finalSeen) {
    return retransmitted2xx(ctx, out, res);
  }
  if (status >= 200) {
    out.finalSeen = true;
    ctx.outgoing.delete(out.txnId);
  }
  if (dialog) updateDialog(ctx, out, res);
  if (out.app.closed) return;
  const source = local ? { protocol: out.dest.protocol, address: out.dest.address, port: out.dest.port } : out.dest;
  out.app.send(
    sipFrame({ source: 'network', data: res.raw ?? serializeMessage(res), remote: source, txnId: out.txnId, dialogId: dialog?.id ?? '' }),
  );
}

function updateDialog(ctx: EngineContext, out: OutgoingRequest, res: SipResponse): void {
  const dialog = out.dialog!;
  const status = res.status;
  const method = out.req.method;
  const initial = dialog.state !== 'confirmed' && (method === 'INVITE' || method === 'SUBSCRIBE');
  if (initial) {
    const tag = toTag(res);
    const establishes = (status >= 200 && status < 300) || (status > 100 && status < 200 && res.has('rseq'));
    if (tag && (establishes || (status > 100 && status < 200)) && !dialog.remoteTag) ctx.dialogs.setRemoteTag(dialog, tag);
    if (establishes) {
      dialog.remoteUri = res.get('to') ?? dialog.remoteUri;
      // §12.1.2: the UAC's route set is the Record-Route list reversed.
      dialog.routeSet = res.getLines('record-route').flatMap((l) => splitList(l)).reverse();
      const contact = parseNameAddr(res.get('contact') ?? '');
      if (contact.ok) dialog.remoteTarget = contact.value.uri;
      detectNat(dialog, contact.ok ? contact.value.uri : '', out);
    }
    if (status >= 200 && status < 300) {
      dialog.state = 'confirmed';
      if (method === 'INVITE') dialog.ackableInviteSeq = dialog.localSeq;
      // The app canceled but the 2xx won the race: BYE once the app sends its ACK.
      if (out.canceled) dialog.canceledByApp = true;
    } else if (status >= 300) {
      ctx.dialogs.delete(dialog);
    }
    return;
  }
  if (method === 'INVITE') {
    dialog.outgoingInvitePending = status < 200;
    if (status >= 200 && status < 300) {
      dialog.ackableInviteSeq = Number((out.req.get('cseq') ?? '0').split(/\s+/)[0]);
      const contact = parseNameAddr(res.get('contact') ?? '');
      if (contact.ok) dialog.remoteTarget = contact.value.uri; // target refresh (§12.2.1.2)
    }
  }
  if (method === 'BYE' && status !== 401 && status !== 407 && status >= 200) ctx.dialogs.delete(dialog);
  if (method === 'NOTIFY' && status >= 200 && /terminated/i.test(out.req.get('subscription-state') ?? '')) {
    ctx.dialogs.delete(dialog);
  }
  // §12.2.1.2: after a 481 or 408 the UAC "SHOULD terminate the dialog". An INVITE dialog still
  // needs the app's BYE; a subscription dialog has nothing left to send, so it ends here.
  if (dialog.kind === 'subscribe' && (status === 481 || status === 408)) ctx.dialogs.delete(dialog);
}

/** drachtio §3.6 NAT rule: no Record-Route and a Contact that isn't where the answer came from. */
function detectNat(dialog: OutgoingRequest['dialog'] & object, contactUri: string, out: OutgoingRequest): void {
  if (dialog.routeSet.length > 0 || !contactUri) return;
  const u = parseUri(contactUri);
  if (!u.ok) return;
  const host = u.value.host.replace(/^\[|\]$/g, '');
  if (host !== out.dest.address || (u.value.port ?? 5060) !== out.dest.port) dialog.natTarget = destination(out.dest, out.dest.connectionId);
}

/** A 2xx retransmission: re-send our ACK if the app already ACKed, else absorb (§13.2.2.4). */
function retransmitted2xx(ctx: EngineContext, out: OutgoingRequest, res: SipResponse): void {
  const dialog = out.dialog!;
  const tag = toTag(res);
  if (tag && dialog.remoteTag && tag !== dialog.remoteTag) {
    // A second fork answered: RFC 3261 §13.2.2.4 — ACK it and hang it up; the app keeps one dialog.
    return ackAndByeStrayFork(ctx, out, res);
  }
  if (dialog.lastAck) ctx.wireSend(dialog.lastAck.bytes, dialog.lastAck.dest);
  ctx.count('absorbed2xx');
}

function ackAndByeStrayFork(ctx: EngineContext, out: OutgoingRequest, res: SipResponse): void {
  const dialog = out.dialog!;
  const contact = parseNameAddr(res.get('contact') ?? '');
  const target = contact.ok ? contact.value.uri : out.req.uri;
  const seq = Number((out.req.get('cseq') ?? '1').split(/\s+/)[0]);
  for (const method of ['ACK', 'BYE'] as const) {
    const built = buildInDialog(ctx, dialog, method, method === 'ACK' ? seq : seq + 1, target);
    if (!built) return;
    built.req.set('To', res.get('to') ?? '');
    built.req.append('Content-Length', '0');
    const dest = out.dest;
    if (method === 'ACK') ctx.sendRaw(built.req, dest);
    else ctx.txns.sendRequest(built.req, built.branch, dest, IGNORE_RESPONSES);
  }
}
