// Message-waiting indication (RFC 3842 over RFC 6665): phones' message lamps.
//
//   const mwi = installMwi({ srf, config, mailboxes, location, registrar, bindings, auth, clock, log });
//   …
//   mwi.close();   // subscribers get `terminated;reason=deactivated`
//
// SUBSCRIBE (message-summary) → subscription dialogs with NOTIFY on every change; mailboxes
// nobody subscribed to get out-of-dialog NOTIFYs at their registered phones (pbx.mwi.unsolicited)
// on every change, when a phone registers anew, and whenever the app (re)connects to the engine.
import type { PbxConfig } from '../../core/config/schema.ts';
import type { Clock } from '../../core/sip/util/clock.ts';
import type { Logger } from '../../core/sip/util/logger.ts';
import type { LocationService } from '../../core/pbx/location/location-service.ts';
import type { Registrar } from '../../core/pbx/registrar/registrar.ts';
import type { SipMiddleware } from '../../core/pbx/sip/compose.ts';
import type { SrfApp } from '../../core/pbx/srf-types.ts';
import type { Binding } from '../../core/pbx/store/binding-store.ts';
import type { MailboxCounts } from './mailbox-counts.ts';
import { MwiNotifier } from './notifier.ts';
import { RegistrationWatch } from './registration-watch.ts';
import { mwiSrf } from './srf-mwi.ts';
import { subscribeHandler } from './subscribe-handler.ts';

export interface MwiOptions {
  srf: SrfApp;
  config: PbxConfig;
  mailboxes: MailboxCounts;
  location: LocationService;
  registrar: Pick<Registrar, 'changed'>;
  /** The stored bindings, read once so a restart does not mistake every refresh for a new phone. */
  bindings: { all(now: number): Binding[] };
  /** Run on new SUBSCRIBEs: throttle, Require, digest auth (the REGISTER chain's). */
  auth: readonly SipMiddleware[];
  clock: Clock;
  log: Logger;
}

export interface Mwi {
  notifier: MwiNotifier;
  /** Stops listening and ends every subscription (`terminated;reason=deactivated`). */
  close(): void;
}

export function installMwi(o: MwiOptions): Mwi {
  const m = o.config.pbx.mwi;
  const srf = mwiSrf(o.srf);
  const notifier = new MwiNotifier({
    srf, mailboxes: o.mailboxes, location: o.location, domain: o.config.pbx.domain, unsolicited: m.unsolicited,
    maxUnsolicitedInFlight: m.maxUnsolicitedInFlight, maxSubscriptionsPerMailbox: m.maxSubscriptionsPerMailbox,
    requestTimeoutMs: 64 * o.config.sip.timers.t1 + 5000, clock: o.clock, log: o.log,
  });
  srf.subscribe(subscribeHandler({ notifier, mailboxes: o.mailboxes, auth: o.auth, policy: m, log: o.log }));
  const watch = new RegistrationWatch(o.bindings.all(o.clock.now()));
  const offMailbox = o.mailboxes.changed.on((mailbox) => notifier.mailboxChanged(mailbox));
  const offRegistrar = o.registrar.changed.on((change) => {
    const fresh = watch.fresh(change);
    if (fresh.length) void notifier.phonesRegistered(change.aor, fresh.map((b) => b.contact));
  });
  let open = true;
  srf.on('connect', (err) => {
    if (!err && open) void notifier.connected();
  });
  return {
    notifier,
    close() {
      open = false;
      offMailbox();
      offRegistrar();
      notifier.close();
    },
  };
}

export type { MailboxCounts, MessageCounts } from './mailbox-counts.ts';
export { NO_MAILBOXES } from './mailbox-counts.ts';
