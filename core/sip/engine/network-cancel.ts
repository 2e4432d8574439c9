// CANCEL from the network (RFC 3261 §9.2; drachtio §3.2 step 3, §3.4).
import type { SipRequest } from '../parser/message.ts';
import { InviteServerTransaction } from '../transaction/server-invite-transaction.ts';
import type { Destination } from '../transport/transport-layer.ts';
import { newId } from '../util/ids.ts';
import { sipFrame } from '../drachtio/frames.ts';
import { serializeMessage } from '../parser/index.ts';
import { responseFor } from './build.ts';
import type { EngineContext } from './context.ts';
import { incomingByStx, settleIncoming } from './incoming.ts';

export function handleNetworkCancel(ctx: EngineContext, req: SipRequest, source: Destination): void {
  const inviteTxn = ctx.txns.findInviteForCancel(req);
  const cancelTxn = ctx.txns.createServer(req, source, {});
  const respond = (status: number) => {
    const res = responseFor(req, status, undefined, status > 100 ? 'eng' + newId() : undefined);
    if (cancelTxn) cancelTxn.respond(res);
    else ctx.sendRaw(res, source);
  };
  const inc = inviteTxn ? incomingByStx.get(inviteTxn) : undefined;
  if (!inviteTxn || !(inviteTxn instanceof InviteServerTransaction)) return respond(481);
  if (ctx.proxy.handleCancel(inviteTxn, req)) return respond(200);
  if (!inc || inc.finalSent) {
    // "If the UAS already sent a final response, the CANCEL has no effect" (§9.2): the caller
    // gets our 200 OK (INVITE) and must ACK and BYE; that is the 200/CANCEL race resolved.
    return respond(200);
  }
  respond(200);
  settleIncoming(ctx, inc);
  inc.canceled = true;
  const dialog = inc.dialog;
  inviteTxn.respond(responseFor(inc.req, 487, undefined, dialog?.localTag ?? 'eng' + newId()));
  if (dialog) ctx.dialogs.delete(dialog);
  ctx.count('cancelsReceived');
  inc.app.send(
    sipFrame({ source: 'network', data: req.raw ?? serializeMessage(req), remote: source, txnId: inc.txnId, dialogId: dialog?.id ?? '' }),
  );
}
