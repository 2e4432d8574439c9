// How INVITEs become calls, assembled from the configuration: the router (built-in services first,
// then the dialplan, or plain "dial the extension" when dialplans are off), the dialplan runtime
// with the host that carries out its operations on real calls, and the media anchoring they use.
import { randomBytes } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import type { PbxConfig } from '../config/schema.ts';
import { DialplanService } from '../../dialplan/service/dialplan-service.ts';
import type { Clock } from '../sip/util/clock.ts';
import type { Logger } from '../sip/util/logger.ts';
import type { LocationService } from './location/location-service.ts';
import { MediaLink } from './calls/media-link.ts';
import { dialplanRouter, extensionRouter, serviceRouter, type Router } from './calls/router.ts';
import { SessionRunner, type CallService } from './calls/session-runner.ts';
import type { DialogApi } from './calls/srf-dialogs.ts';
import { PbxCallHost } from './dialplan-host/pbx-call-host.ts';
import { findEspeak } from './dialplan-host/prompts.ts';
import { installDefaultDialplan } from './dialplan-host/default-dialplan.ts';
import type { CdrStore } from './store/cdr.ts';
import type { UserStore } from './store/users.ts';
import type { SrfApp } from './srf-types.ts';

export const INTERNAL_HEADER = 'X-PBX-Internal';

export interface CallRoutingDeps {
  srf: SrfApp;
  api: DialogApi;
  config: PbxConfig;
  users: UserStore;
  location: LocationService;
  cdrs: CdrStore;
  clock: Clock;
  log: Logger;
}

export interface CallRouting {
  router: Router;
  sessions: SessionRunner;
  host: PbxCallHost;
  media: MediaLink | undefined;
  dialplans: DialplanService | undefined;
  internal: { header: string; token: string };
  /** Built-in services by the dialed user part; more can be added before calls arrive. */
  services: Map<string, string>;
  serviceHandlers: Map<string, CallService>;
  /** Compiles the dialplans (installing the default on first start) and starts watching them. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createCallRouting(d: CallRoutingDeps): CallRouting {
  const { config, log, clock } = d;
  const p = config.pbx;
  const fromData = (f: string) => (isAbsolute(f) ? f : join(config.dataDir, f));
  const media = p.media.anchor ? new MediaLink({ socketPath: fromData(p.media.socket), log }) : undefined;
  let selfHop: string | undefined;
  d.srf.on('connect', (err, hostport) => {
    if (!err) selfHop = selfHopOf(hostport);
  });
  const internal = { header: INTERNAL_HEADER, token: randomBytes(18).toString('base64url') };
  const holdMusic = [{ file: p.media.holdMusic }];
  const dialDeps = { api: d.api, media, codecs: p.media.codecs, clock, log };
  const host = new PbxCallHost({
    dial: dialDeps,
    targets: { users: d.users, location: d.location, domain: p.domain, selfHop: () => selfHop },
    prompts: { ttsDir: join(config.dataDir, 'tts'), espeak: findEspeak() },
    cdrs: d.cdrs,
    domain: p.domain,
    voicemailUser: 'voicemail',
    internalHeader: { [internal.header]: internal.token },
    holdMusic,
    defaultRingMs: p.calls.ringTimeoutSec * 1000,
    clock,
    log,
  });
  const dialplanDir = fromData(p.dialplan.dir);
  const dialplans = p.dialplan.enabled
    ? new DialplanService({
        dir: dialplanDir,
        host,
        log: (level, msg) => (level === 'error' ? log.error(msg) : level === 'warn' ? log.warn(msg) : log.info(msg)),
        sandbox: {
          maxConcurrentCalls: p.dialplan.maxConcurrentCalls,
          cpuLimitMs: p.dialplan.cpuLimitMs,
          ...(p.dialplan.memoryLimitMb !== undefined ? { memoryLimitMb: p.dialplan.memoryLimitMb } : {}),
        },
        fallback: { beforeAnswer: p.dialplan.fallbackStatus, afterAnswer: p.dialplan.fallbackAfterAnswer },
      })
    : undefined;
  const services = new Map<string, string>();
  const serviceHandlers = new Map<string, CallService>();
  const base = dialplans
    ? dialplanRouter(p.dialplan.entry, p.dialplan.routes)
    : extensionRouter({ users: d.users, location: d.location, strategy: p.calls.strategy, redirect: new Set(p.calls.redirect) });
  const sessions = new SessionRunner({
    api: d.api, media, host, dialplans, services: serviceHandlers, cdrs: d.cdrs, domain: p.domain, clock, log,
  });
  return {
    router: serviceRouter(services, base),
    sessions, host, media, dialplans, internal, services, serviceHandlers,
    async start() {
      if (!dialplans) return;
      if (installDefaultDialplan(dialplanDir)) log.notice(`installed the default dialplan in ${dialplanDir}`);
      // Refusals are logged by the runtime as they happen; this is the summary of what runs.
      for (const st of await dialplans.start()) {
        if (st.active) log.notice(`dialplan ${st.name} active (version ${st.active.version})`);
      }
      if (!dialplans.registry.get(p.dialplan.entry)) log.error(`no active dialplan '${p.dialplan.entry}' in ${dialplanDir}: calls get ${p.dialplan.fallbackStatus}`);
    },
    async close() {
      await dialplans?.close();
      media?.close();
    },
  };
}

/** Our engine's own address from srf's connect hostport ("udp/127.0.0.1:5060,tcp/…"), UDP first. */
export function selfHopOf(hostport: string): string | undefined {
  const parts = hostport.split(',').map((x) => /^(udp|tcp)\/(.+)$/i.exec(x.trim())).filter((m): m is RegExpExecArray => m !== null);
  const pick = parts.find((m) => m[1]!.toLowerCase() === 'udp') ?? parts[0];
  if (!pick) return undefined;
  let hp = pick[2]!;
  // A wildcard listener is reached on loopback.
  hp = hp.replace(/^0\.0\.0\.0(?=:)/, '127.0.0.1').replace(/^\[::\](?=:)/, '[::1]');
  return `sip:${hp};transport=${pick[1]!.toLowerCase()}`;
}
