// Requests arriving from the network (drachtio §3.2, §3.4, §3.7 network → app).
import type { SipRequest } from '../parser/message.ts';
import { parseCSeq, parseNameAddr, parseContacts, parseUri, serializeMessage, cseqOf, fromTag as fromTagOf, toTag as toTagOf } from '../parser/index.ts';
import { InviteServerTransaction } from '../transaction/server-invite-transaction.ts';
import { destination, type Destination, type Listener } from '../transport/transport-layer.ts';
import { newId } from '../util/ids.ts';
import { newIncoming, trackIncoming } from './incoming.ts';
import { sipFrame } from '../drachtio/frames.ts';
import type { Dialog } from '../dialog/dialog.ts';
import { responseFor } from './build.ts';
import type { EngineContext, IncomingRequest } from './context.ts';
import { handleNetworkCancel } from './network-cancel.ts';
import { handleNetworkAck } from './network-ack.ts';
import { routeIsUs, forwardStatelessly, popTopRoute } from '../proxy/stateless-forward.ts';

/** RFC 3261 §17.2.1's "within 200 ms", with margin for the reply to leave. */
const TRYING_DELAY_MS = 150;

export function handleNetworkRequest(ctx: EngineContext, req: SipRequest, source: Destination, listener: Listener): void {
  if (req.method === 'ACK') return handleNetworkAck(ctx, req, source);
  const existing = ctx.txns.findServer(req);
  if (existing) {
    ctx.count('retransmissions');
    existing.receiveRetransmission();
    return;
  }
  // Loose routing (§16.4): a Route naming us is ours to pop. In a dialog we record-routed, what
  // remains is relayed statelessly (drachtio §3.2); a new request (a phone's outbound-proxy
  // Route) is ours to handle.
  const toTag = toTagOf(req);
  const route = req.get('route');
  if (route !== undefined && routeIsUs(ctx, route)) {
    if (toTag) {
      if (forwardStatelessly(ctx, req, source, listener)) return;
    } else {
      popTopRoute(req);
    }
  }
  if (req.method === 'CANCEL') return handleNetworkCancel(ctx, req, source);
  if (toTag) return handleInDialog(ctx, req, source, listener, toTag);
  return handleOutOfDialog(ctx, req, source, listener);
}

function reply(ctx: EngineContext, req: SipRequest, source: Destination, status: number, reason?: string, extra?: [string, string][]): void {
  const stx = ctx.txns.createServer(req, source, {});
  const res = responseFor(req, status, reason, status > 100 ? 'eng' + newId() : undefined);
  for (const [n, v] of extra ?? []) res.append(n, v);
  if (stx) stx.respond(res);
  else ctx.sendRaw(res, source);
}

function handleOutOfDialog(ctx: EngineContext, req: SipRequest, source: Destination, listener: Listener): void {
  const method = req.method;
  if (method === 'BYE' || method === 'UPDATE' || method === 'PRACK') {
    return reply(ctx, req, source, 481);
  }
  if (method === 'REGISTER') {
    const bad = checkRegister(req);
    if (bad) return reply(ctx, req, source, 400, bad);
  }
  const app = ctx.admin.selectApp(method.toLowerCase());
  if (!app) {
    ctx.count('noApp');
    return reply(ctx, req, source, 503, 'No Application Available');
  }
  const stx = ctx.txns.createServer(req, source, {});
  if (!stx) return reply(ctx, req, source, 400, 'Malformed Via');
  // 100 Trying unless the app answers within the §17.2.1 200 ms (a retransmission gets it at once).
  if (stx instanceof InviteServerTransaction) stx.tryingAfter(() => responseFor(req, 100), TRYING_DELAY_MS);
  const inc = trackIncoming(ctx, req, stx, source, listener, app, undefined, false);
  app.send(
    sipFrame({ source: 'network', data: rawOf(req), remote: source, txnId: inc.txnId, dialogId: '', receivedOn: { address: listener.address, port: listener.port } }),
  );
}

/** RFC 3261 §10.3 checks drachtio makes before the registrar sees a REGISTER. */
function checkRegister(req: SipRequest): string | undefined {
  for (const line of req.getLines('contact')) {
    const c = parseContacts(line);
    if (!c.ok) return 'Malformed Contact header';
    if (c.value === '*') {
      const exp = req.get('expires');
      if (exp === undefined || Number(exp) !== 0) return 'Contact * requires Expires: 0';
      continue;
    }
    for (const na of c.value) if (!parseUri(na.uri).ok) return 'Contact without a valid SIP URI';
  }
  return undefined;
}

function handleInDialog(ctx: EngineContext, req: SipRequest, source: Destination, listener: Listener, toTag: string): void {
  const callId = req.get('call-id') ?? '';
  const fromTag = fromTagOf(req) ?? '';
  const dialog = ctx.dialogs.match(callId, toTag, fromTag);
  if (!dialog || dialog.app.closed) return reply(ctx, req, source, 481);
  const cseq = cseqOf(req) ?? parseCSeq('');
  if (!cseq.ok) return reply(ctx, req, source, 400, 'Malformed CSeq');
  const seq = cseq.value.seq;
  // §12.2.2: a lower CSeq than the last one seen is out of order.
  if (dialog.remoteSeq !== undefined && seq < dialog.remoteSeq && req.method !== 'PRACK') {
    return reply(ctx, req, source, 500, 'CSeq Out of Order');
  }
  if (req.method !== 'PRACK') dialog.remoteSeq = seq;

  if (req.method === 'INVITE') {
    if (dialog.outgoingInvitePending || dialog.awaitingAck) return reply(ctx, req, source, 491);
    if (dialog.incomingInvitePending) return reply(ctx, req, source, 500, 'Request Pending', [['Retry-After', '3']]);
  }
  if (req.method === 'UPDATE' && dialog.role === 'uas' && dialog.state === 'early') {
    return earlyUpdate(ctx, req, source, listener, dialog);
  }
  const stx = ctx.txns.createServer(req, source, {});
  if (!stx) return reply(ctx, req, source, 400, 'Malformed Via');
  if (req.method === 'INVITE') {
    dialog.incomingInvitePending = true;
    if (stx instanceof InviteServerTransaction) stx.tryingAfter(() => responseFor(req, 100), TRYING_DELAY_MS);
    refreshTarget(dialog, req);
  }
  // RFC 6665: SUBSCRIBE and NOTIFY are target refresh requests (a phone that moved keeps its lamp).
  if (dialog.kind === 'subscribe' && (req.method === 'SUBSCRIBE' || req.method === 'NOTIFY')) refreshSubscriptionTarget(dialog, req, source);
  if (req.method === 'PRACK') stopReliableRetransmit(ctx, dialog, req);
  const inc = trackIncoming(ctx, req, stx, source, listener, dialog.app, dialog, true);
  if (req.method === 'BYE') {
    // drachtio deletes the dialog when the BYE arrives; the app still answers it by txnId.
    ctx.dialogs.delete(dialog);
  }
  dialog.app.send(sipFrame({ source: 'network', data: rawOf(req), remote: source, txnId: inc.txnId, dialogId: dialog.id }));
}

/** UPDATE inside an early dialog is delivered with the INVITE's txnId (drachtio §3.4). */
function earlyUpdate(ctx: EngineContext, req: SipRequest, source: Destination, listener: Listener, dialog: Dialog): void {
  const invite = dialog.inviteTxnId ? ctx.incoming.get(dialog.inviteTxnId) : undefined;
  if (!invite) return reply(ctx, req, source, 481);
  if (invite.earlyUpdate) return reply(ctx, req, source, 500, 'Request Pending', [['Retry-After', '2']]);
  const stx = ctx.txns.createServer(req, source, {});
  if (!stx) return;
  const upd: IncomingRequest = newIncoming(invite.txnId, req, stx, source, listener, dialog.app, dialog, true);
  invite.earlyUpdate = upd;
  stx.user = { onTerminated: () => { if (invite.earlyUpdate === upd) invite.earlyUpdate = undefined; } };
  dialog.app.send(sipFrame({ source: 'network', data: rawOf(req), remote: source, txnId: invite.txnId, dialogId: dialog.id }));
}

function refreshTarget(dialog: Dialog, req: SipRequest): void {
  const contact = req.get('contact');
  if (!contact) return;
  const na = parseNameAddr(contact);
  if (na.ok) dialog.remoteTarget = na.value.uri;
}

/** A phone behind NAT is followed to wherever its refresh came from (drachtio §3.4's NAT rule). */
function refreshSubscriptionTarget(dialog: Dialog, req: SipRequest, source: Destination): void {
  refreshTarget(dialog, req);
  if (dialog.natTarget && dialog.natTarget.protocol === source.protocol) dialog.natTarget = destination(source, source.connectionId);
}

function stopReliableRetransmit(ctx: EngineContext, dialog: Dialog, prack: SipRequest): void {
  const rack = (prack.get('rack') ?? '').trim().split(/\s+/);
  const rseq = Number(rack[0]);
  const invite = dialog.inviteTxnId ? ctx.incoming.get(dialog.inviteTxnId) : undefined;
  if (invite?.reliable && invite.reliable.rseq === rseq) {
    for (const t of invite.reliable.timers) t.cancel();
    invite.reliable = undefined;
  }
}

/** The request as it arrived, plus our received/rport stamp (drachtio sends the raw text). */
function rawOf(req: SipRequest): Buffer {
  return req.raw ?? serializeMessage(req);
}
