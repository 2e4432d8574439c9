// SUBSCRIBE for message-summary (RFC 3842, RFC 6665 §4.2.1). A new subscription passes the
// event check, the PBX's digest authentication (as REGISTER does), "own mailbox only", and the
// Accept/Contact/Expires checks; its 200 carries the granted Expires, then the first NOTIFY goes.
// Inside the dialog a SUBSCRIBE refreshes (200, NOTIFY) or, with Expires 0, ends it; the dialog
// itself is the credential there, as for a BYE.
import type { Logger } from '../../core/sip/util/logger.ts';
import { userOf } from '../../core/pbx/aor.ts';
import { compose, runChain, type SipMiddleware } from '../../core/pbx/sip/compose.ts';
import { SipContext } from '../../core/pbx/sip/context.ts';
import { SipError } from '../../core/pbx/sip/sip-error.ts';
import { requestView, srfHeaders } from '../../core/pbx/sip/srf-adapter.ts';
import type { MailboxCounts } from './mailbox-counts.ts';
import { acceptsSummary, eventPackage, MESSAGE_SUMMARY_EVENT, MESSAGE_SUMMARY_TYPE } from './message-summary.ts';
import type { MwiNotifier } from './notifier.ts';
import { respond, type SubscribeRequest, type SubscribeResponse } from './srf-mwi.ts';
import { grantExpires, type ExpiryPolicy } from './subscription-expiry.ts';

/** A SUBSCRIBE that passed every check, with the duration granted. */
export interface GrantedSubscribe {
  mailbox: string;
  seconds: number;
}

declare module '../../core/pbx/sip/context.ts' {
  interface SipVariables {
    /** The mailbox a new SUBSCRIBE may watch (after authentication). */
    mwiMailbox: string;
    mwiGranted: GrantedSubscribe;
  }
}

export interface SubscribeHandlerOptions {
  notifier: MwiNotifier;
  mailboxes: MailboxCounts;
  /** Run on new subscriptions before anything else looks at them: throttle, Require, digest (401). */
  auth: readonly SipMiddleware[];
  policy: ExpiryPolicy;
  log: Logger;
}

export function subscribeHandler(o: SubscribeHandlerOptions): (req: SubscribeRequest, res: SubscribeResponse) => void {
  const initial = compose([messageSummaryOnly, ...o.auth, ownMailbox(o.mailboxes), acceptable(o.policy)]);
  return (req, res) => {
    const dialogId = req.stackDialogId;
    void (async () => {
      const c = new SipContext(requestView(req));
      await runChain(dialogId ? compose([messageSummaryOnly, refresh(o, dialogId)]) : initial, c, o.log);
      const r = c.res ?? { status: 500 };
      const granted = c.get('mwiGranted');
      if (r.status !== 200 || !granted) return void (await respond(res, r.status, r.reason, srfHeaders(r.headers)));
      const sent = await respond(res, 200, 'OK', { Expires: String(granted.seconds) });
      if (!sent) return o.log.info(`mwi: 200 to SUBSCRIBE ${c.req.callId} could not be sent`);
      if (dialogId) return applyRefresh(o, dialogId, granted.seconds);
      if (!sent.dialogId) return o.log.error(`mwi: the engine gave no dialog id for SUBSCRIBE ${c.req.callId}`);
      o.notifier.subscribe({ dialogId: sent.dialogId, mailbox: granted.mailbox, event: req.get('Event') ?? MESSAGE_SUMMARY_EVENT, contact: sent.contact, seconds: granted.seconds });
      o.log.info(`mwi: ${granted.mailbox} subscribed from ${c.req.source.address}:${c.req.source.port} for ${granted.seconds} s`);
    })().catch((err: Error) => {
      o.log.error(`mwi: SUBSCRIBE ${req.get('Call-ID')}: ${err.stack ?? err.message}`);
      if (!res.finalResponseSent) void respond(res, 500, undefined, {});
    });
  };
}

/** RFC 6665 §4.2.1.1: an event package we do not serve gets 489 and the one we do. */
const messageSummaryOnly: SipMiddleware = async (c, next) => {
  if (eventPackage(c.req.get('Event')) !== MESSAGE_SUMMARY_EVENT) throw new SipError(489, 'Bad Event', { 'Allow-Events': MESSAGE_SUMMARY_EVENT });
  await next();
};

/** The mailbox is the Request-URI's user (else the To user); only its owner may watch it. */
function ownMailbox(mailboxes: MailboxCounts): SipMiddleware {
  return async (c, next) => {
    const user = c.get('authUser');
    if (!user) throw new Error('mwi reached without authentication; put digestAuth() before it');
    const mailbox = userOf(c.req.uri) ?? userOf(c.req.get('To') ?? '');
    // 403 before 404, so nobody learns which mailboxes exist by asking.
    if (mailbox !== user.username) throw new SipError(403, 'Not Your Mailbox');
    if (!mailboxes.counts(mailbox)) throw new SipError(404, 'No Such Mailbox');
    c.set('mwiMailbox', mailbox);
    await next();
  };
}

function acceptable(policy: ExpiryPolicy): SipMiddleware {
  return (c) => {
    if (!acceptsSummary(c.req.get('Accept'))) throw new SipError(406, 'Not Acceptable', { Accept: MESSAGE_SUMMARY_TYPE });
    if (!c.req.get('Contact')) throw new SipError(400, 'Missing Contact');
    const mailbox = c.get('mwiMailbox');
    if (mailbox === undefined) throw new Error('acceptable() runs after ownMailbox()');
    c.set('mwiGranted', { mailbox, seconds: grantExpires(c.req.get('Expires'), policy) });
    c.reply(200);
  };
}

function refresh(o: SubscribeHandlerOptions, dialogId: string): SipMiddleware {
  return (c) => {
    const sub = o.notifier.subscriptions.get(dialogId);
    // §4.1.2.2: a refresh of a subscription we do not have (expired, or before a restart) → 481.
    if (!sub || sub.state !== 'active') throw new SipError(481, 'Subscription Does Not Exist');
    c.set('mwiGranted', { mailbox: sub.mailbox, seconds: grantExpires(c.req.get('Expires'), o.policy) });
    c.reply(200);
  };
}

function applyRefresh(o: SubscribeHandlerOptions, dialogId: string, seconds: number): void {
  const sub = o.notifier.subscriptions.get(dialogId);
  if (!sub) return;
  if (seconds === 0) {
    o.log.info(`mwi: ${sub.mailbox} unsubscribed (${dialogId})`);
    sub.terminate();
  } else {
    sub.refresh(seconds);
  }
}
