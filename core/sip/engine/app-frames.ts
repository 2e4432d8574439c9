// Dispatch of an app's `sip` frame (drachtio §2.1 dispatch order).
import type { AppFrame } from '../drachtio/admin-server.ts';
import type { AppConnection } from '../drachtio/app-connection.ts';
import { readAppMessage } from '../drachtio/app-message.ts';
import { appHeader } from './app-headers.ts';
import type { EngineContext } from './context.ts';
import { sendAppResponse } from './app-responses.ts';
import { sendAppRequest, sendAppCancel } from './app-requests.ts';
import { sendAppDialogRequest } from './app-dialog-requests.ts';

export function handleAppSip(ctx: EngineContext, app: AppConnection, f: AppFrame): void {
  const [txnId = '', dialogId = '', proxy = ''] = f.meta;
  const parsed = readAppMessage(f.body);
  if (!parsed.ok) return app.reply(f.msgId, `NOK|${parsed.error}`);
  const msg = parsed.value;
  if (msg.kind === 'response') {
    if (!txnId) return app.reply(f.msgId, 'NOK|missing transaction id');
    return sendAppResponse(ctx, app, f.msgId, txnId, msg);
  }
  if (dialogId) return sendAppDialogRequest(ctx, app, f.msgId, dialogId, msg);
  if (txnId) {
    if (msg.method !== 'CANCEL') return app.reply(f.msgId, 'NOK|only CANCEL may name a transaction');
    return sendAppCancel(ctx, app, f.msgId, txnId, msg);
  }
  // drachtio quirk: an out-of-dialog request whose Call-ID matches a dialog goes inside it.
  const callId = appHeader(msg.headers, 'call-id');
  if (callId && msg.method !== 'INVITE' && msg.method !== 'REGISTER') {
    const d = ctx.dialogs.findByCallId(callId);
    if (d) return sendAppDialogRequest(ctx, app, f.msgId, d.id, msg);
  }
  return sendAppRequest(ctx, app, f.msgId, msg, proxy);
}
