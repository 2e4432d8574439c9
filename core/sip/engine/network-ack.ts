// ACK from the network: absorbed for non-2xx finals, delivered to the app for its 2xx (§17.2.1, §13.3.1.4).
import type { SipRequest } from '../parser/message.ts';
import { InviteServerTransaction } from '../transaction/server-invite-transaction.ts';
import type { Destination } from '../transport/transport-layer.ts';
import { newId } from '../util/ids.ts';
import { sipFrame } from '../drachtio/frames.ts';
import { parseCSeq, serializeMessage, cseqOf, fromTag as fromTagOf, toTag as toTagOf } from '../parser/index.ts';
import type { EngineContext } from './context.ts';
import { routeIsUs, forwardStatelessly } from '../proxy/stateless-forward.ts';

export function handleNetworkAck(ctx: EngineContext, req: SipRequest, source: Destination): void {
  const stx = ctx.txns.findServer(req);
  if (stx instanceof InviteServerTransaction && stx.lastStatus >= 300) {
    stx.receiveAck();
    return;
  }
  const route = req.get('route');
  if (route !== undefined && routeIsUs(ctx, route)) {
    const listener = ctx.transport.listenerFor(source.protocol);
    if (listener && forwardStatelessly(ctx, req, source, listener)) return;
  }
  const toTag = toTagOf(req);
  if (!toTag) return; // an ACK outside any dialog is dropped (drachtio §3.2 step 4)
  const dialog = ctx.dialogs.match(req.get('call-id') ?? '', toTag, fromTagOf(req) ?? '');
  if (!dialog) return;
  const cseq = cseqOf(req) ?? parseCSeq('');
  const pending = dialog.awaitingAck;
  if (!pending || !cseq.ok || cseq.value.seq !== pending.seq) {
    ctx.count('ackAbsorbed'); // a retransmitted ACK, or one for an older 2xx
    return;
  }
  for (const t of pending.timers) t.cancel();
  dialog.awaitingAck = undefined;
  dialog.app.send(sipFrame({ source: 'network', data: req.raw ?? serializeMessage(req), remote: source, txnId: newId(), dialogId: dialog.id }));
}
