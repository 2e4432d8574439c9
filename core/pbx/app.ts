// The PBX as a drachtio-srf application: REGISTER through throttle → digest auth → registrar,
// OPTIONS answered, expired state swept, keep-alives to registered UDP phones. It runs against
// our engine or a real drachtio-server alike (nothing but srf between them).
import type { PbxConfig } from '../config/schema.ts';
import { systemClock, type Clock } from '../sip/util/clock.ts';
import type { Logger } from '../sip/util/logger.ts';
import { digestAuth, NonceService } from './auth/digest/index.ts';
import type { CredentialLookup } from './auth/digest/verify.ts';
import { FailureThrottle, rejectBlocked } from './auth/throttle/index.ts';
import { OptionsKeepalive } from './location/keepalive.ts';
import { LocationService } from './location/location-service.ts';
import { srfOptionsSender } from './location/options-sender.ts';
import { optionsResponder, type Capabilities } from './options.ts';
import { Registrar } from './registrar/registrar.ts';
import { startSweeper } from './registrar/sweeper.ts';
import { realmOf } from './settings.ts';
import { requireSupported } from './sip/require.ts';
import { srfHandler } from './sip/srf-adapter.ts';
import type { SrfApp } from './srf-types.ts';
import type { Db } from './store/db.ts';
import type { UserStore } from './store/users.ts';
import { createStores, type PbxStores } from './stores.ts';
import { WriteBatch } from './store/write-batch.ts';
import { createCallRouting, type CallRouting } from './call-routing.ts';
import { inviteHandler } from './calls/invite-handler.ts';
import { dialogApi } from './calls/srf-dialogs.ts';
import { installMwi, type MailboxCounts, type Mwi } from '../../voicemail/mwi/index.ts';
import { mailboxCounts, voicemailServices } from '../../voicemail/service/voicemail-services.ts';
import { MailboxStore } from '../../voicemail/store/mailbox-store.ts';
import { voicemailDir } from '../../voicemail/store/voicemail-config.ts';

/** What OPTIONS advertises; each new request handler (INVITE, SUBSCRIBE, …) adds its method here. */
export const CAPABILITIES: Capabilities = {
  allow: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'REGISTER', 'OPTIONS', 'INFO', 'UPDATE', 'REFER', 'NOTIFY', 'SUBSCRIBE'],
  accept: ['application/sdp'],
  supported: [],
};

export interface PbxAppOptions {
  srf: SrfApp;
  db: Db;
  config: PbxConfig;
  log: Logger;
  clock?: Clock;
  /** Message counts for MWI; none: every mailbox is unknown (SUBSCRIBE gets 404). */
  mailboxes?: MailboxCounts;
}

export interface PbxApp extends PbxStores {
  location: LocationService;
  registrar: Registrar;
  keepalive: OptionsKeepalive;
  throttle: FailureThrottle;
  nonces: NonceService;
  mwi: Mwi;
  /** Voicemail messages and greetings (deposit, retrieval, MWI and the web pages share it). */
  voicemail: MailboxStore;
  /** Router, dialplan runtime, media anchoring: start() compiles dialplans, close() unloads them. */
  routing: CallRouting;
  /** Binding and CDR writes waiting for the end of the event-loop turn; flush() before closing the database. */
  writes: WriteBatch;
  /** Stops timers and commits queued writes; the caller owns srf and the database (and awaits routing.close()). */
  close(): void;
}

export function createPbxApp({ srf, db, config, log, clock = systemClock, mailboxes }: PbxAppOptions): PbxApp {
  const p = config.pbx;
  const realm = realmOf(config);
  const writes = new WriteBatch(db, log);
  const stores = createStores(db, config, clock, { batch: writes });
  const vm = config.voicemail;
  const voicemail = new MailboxStore(db, { dir: voicemailDir(config), clock, maxMessages: vm.maxMessages, minMessageMs: vm.minMessageMs });
  // Messages whose recording a crash or kill cut short become messages now, before any new call.
  const recovered = voicemail.recoverInterrupted();
  if (recovered.recovered + recovered.discarded > 0) {
    log.notice(`voicemail: recovered ${recovered.recovered} interrupted recordings (${recovered.discarded} too short or unreadable, discarded)`);
  }
  const nonces = new NonceService({ clock, ttlMs: p.auth.nonceTtlSec * 1000, maxTracked: p.auth.maxTrackedNonces });
  const t = p.auth.throttle;
  const throttle = new FailureThrottle({
    clock, log, maxFailures: t.maxFailures, windowMs: t.windowSec * 1000, blockMs: t.blockSec * 1000, maxTracked: t.maxTrackedSources,
  });
  const registrar = new Registrar({ store: stores.bindings, users: stores.users, domain: p.domain, policy: p.registrar, clock, log });
  const keepalive = new OptionsKeepalive({
    store: stores.bindings,
    send: srfOptionsSender(srf, { fromUri: `sip:pbx@${p.domain}`, clock, timeoutMs: 64 * config.sip.timers.t1 + 5000 }),
    clock, log, intervalMs: p.keepalive.intervalSec * 1000, natOnly: p.keepalive.natOnly,
  });
  const location = new LocationService({ store: stores.bindings, domain: p.domain, clock, reachability: keepalive });

  const auth = digestAuth({ realm, users: credentials(stores.users, log), nonces, algorithms: p.auth.algorithms, throttle, log });
  const requires = requireSupported(CAPABILITIES.supported);
  srf.register(srfHandler([rejectBlocked(throttle), requires, auth, registrar.handle], log));
  srf.options(srfHandler([requires, optionsResponder(CAPABILITIES)], log));
  const mwi = installMwi({ srf, config, mailboxes: mailboxes ?? mailboxCounts(voicemail, stores.users), location, registrar, bindings: stores.bindings, auth: [rejectBlocked(throttle), requires, auth], clock, log });
  const calls = p.calls;
  const routing = createCallRouting({ srf, api: dialogApi(srf), config, users: stores.users, location, cdrs: stores.cdrs, clock, log });
  const vmServices = voicemailServices({
    store: voicemail, users: stores.users, admin: stores.admin, log, config: vm, callBack: (session, ext) => routing.dialExtension(session, ext),
  });
  for (const [number, name] of vmServices.numbers) routing.services.set(number, name);
  for (const [name, handler] of vmServices.handlers) routing.serviceHandlers.set(name, handler);
  const proxyAuth = digestAuth({ realm, users: credentials(stores.users, log), nonces, algorithms: p.auth.algorithms, throttle, log, proxy: true });
  dialogApi(srf).invite(
    inviteHandler({
      api: dialogApi(srf), router: routing.router, cdrs: stores.cdrs, auth: [rejectBlocked(throttle), requires, proxyAuth],
      trustedSources: new Set(calls.trustedSources), sessions: routing.sessions,
      ringTimeoutMs: calls.ringTimeoutSec * 1000,
      perContactTimeoutMs: calls.perContactTimeoutSec * 1000, clock, log,
    }),
  );

  const stopSweeper = startSweeper([registrar, nonces, throttle], { clock, intervalMs: p.registrar.sweepIntervalSec * 1000, log });
  keepalive.start();
  return {
    ...stores, location, registrar, keepalive, throttle, nonces, mwi, routing, voicemail, writes,
    close() {
      mwi.close();
      stopSweeper();
      keepalive.stop();
      writes.flush();
    },
  };
}

/** HA1 lookup that says why a known user cannot log in after the realm changed. */
function credentials(users: UserStore, log: Logger): CredentialLookup {
  const warned = new Set<string>();
  return {
    ha1(username, realm, hash) {
      const v = users.ha1(username, realm, hash);
      const u = v === undefined ? users.get(username) : undefined;
      if (u && u.enabled && u.realm !== realm && !warned.has(username)) {
        warned.add(username);
        log.warn(`auth: extension ${username} has a password for realm "${u.realm}", not "${realm}"; run pbx user passwd ${username}`);
      }
      return v;
    },
  };
}
