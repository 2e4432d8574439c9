// The voicemail numbers as built-in PBX services: the RFC 4458 deposit service (the user part of
// `voicemail.serviceUser`, reached by the dialplan's `call.voicemail()` retargeting) and the
// retrieval feature codes (*97 own mailbox, *98 any mailbox). "Call back" from a message turns
// into a call from the same session to the sender.
import type { CallService } from '../../core/pbx/calls/session-runner.ts';
import type { CallSession } from '../../core/pbx/calls/call-session.ts';
import type { Logger } from '../../core/sip/util/logger.ts';
import { depositMessage, type DepositDeps } from '../deposit/deposit-message.ts';
import { parseVoicemailUri } from '../deposit/voicemail-uri.ts';
import { retrieveMessages } from '../retrieval/retrieve-messages.ts';
import type { RetrievalDeps } from '../retrieval/retrieval-deps.ts';
import type { MailboxCounts } from '../mwi/mailbox-counts.ts';
import type { MailboxStore } from '../store/mailbox-store.ts';
import type { UserStore } from '../../core/pbx/store/users.ts';

export interface VoicemailServiceDeps extends Omit<DepositDeps, 'users'>, RetrievalDeps {
  log: Logger;
  /** Places a call from the session to an extension (used for "call back"). */
  callBack(session: CallSession, extension: string): Promise<void>;
}

/** Service name by dialed user part, and the handlers, for the PBX's service router. */
export function voicemailServices(d: VoicemailServiceDeps): { numbers: Map<string, string>; handlers: Map<string, CallService> } {
  const c = d.config;
  const numbers = new Map([
    [c.serviceUser, 'voicemail-deposit'],
    [c.featureCodes.own, 'voicemail-own'],
    [c.featureCodes.any, 'voicemail-any'],
  ]);
  const handlers = new Map<string, CallService>([
    ['voicemail-deposit', async (session, call) => {
      const target = parseVoicemailUri(call.uri);
      if (!target) {
        d.log.notice(`voicemail: ${call.uri} names no mailbox (RFC 4458 target); refused`);
        return session.reject(404, 'No Mailbox In Request-URI');
      }
      const r = await depositMessage(session, { mailbox: target.mailbox, cause: target.cause, called: target.mailbox }, d);
      d.log.info(`voicemail: deposit for ${target.mailbox} (cause ${target.cause ?? 'none'}): ${r.outcome}`);
    }],
    ['voicemail-own', (session, call) => retrieve(session, call.caller, d)],
    ['voicemail-any', (session) => retrieve(session, undefined, d)],
  ]);
  return { numbers, handlers };
}

async function retrieve(session: CallSession, mailbox: string | undefined, d: VoicemailServiceDeps): Promise<void> {
  // *97 needs to know whose mailbox: only an authenticated extension has one.
  if (mailbox === undefined && session.caller === '') return session.reject(403, 'Authenticate First');
  const r = await retrieveMessages(session, mailbox === undefined ? {} : { mailbox }, d);
  if (r.end === 'callback') await d.callBack(session, r.callback);
}

/** The store as MWI sees it: a mailbox exists while its extension does. */
export function mailboxCounts(store: MailboxStore, users: Pick<UserStore, 'get'>): MailboxCounts {
  return {
    counts: (mailbox) => (users.get(mailbox)?.enabled ? store.counts(mailbox) : undefined),
    changed: store.changed,
  };
}
