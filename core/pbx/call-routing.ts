// How INVITEs become calls, assembled from the configuration: the router (built-in services first,
// then the dialplan, or plain "dial the extension" when dialplans are off), the dialplan runtime
// with the host that carries out its operations on real calls, and the media anchoring they use.
import { isAbsolute, join } from 'node:path';
import type { PbxConfig } from '../config/schema.ts';
import { DialplanService } from '../../dialplan/service/dialplan-service.ts';
import type { Clock } from '../sip/util/clock.ts';
import type { Logger } from '../sip/util/logger.ts';
import type { LocationService } from './location/location-service.ts';
import { MediaLink } from './calls/media-link.ts';
import { dialplanRouter, extensionRouter, serviceRouter, type Router } from './calls/router.ts';
import { SessionRunner, type CallService } from './calls/session-runner.ts';
import type { CallSession } from './calls/call-session.ts';
import { dial } from './calls/dial.ts';
import { echoService } from './calls/echo-service.ts';
import { resolveTargets } from './dialplan-host/targets.ts';
import type { DialogApi } from './calls/srf-dialogs.ts';
import { PbxCallHost } from './dialplan-host/pbx-call-host.ts';
import { findEspeak } from './dialplan-host/prompts.ts';
import { installDefaultDialplan } from './dialplan-host/default-dialplan.ts';
import type { CdrStore } from './store/cdr.ts';
import type { UserStore } from './store/users.ts';
import type { SrfApp } from './srf-types.ts';

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
  /** Built-in services by the dialed user part; more can be added before calls arrive. */
  services: Map<string, string>;
  serviceHandlers: Map<string, CallService>;
  /** Rings an extension from a call session and bridges them (voicemail "call back"). */
  dialExtension(session: CallSession, extension: string): Promise<void>;
  /** Compiles the dialplans (installing the default on first start) and starts watching them. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createCallRouting(d: CallRoutingDeps): CallRouting {
  const { config, log, clock } = d;
  const p = config.pbx;
  const fromData = (f: string) => (isAbsolute(f) ? f : join(config.dataDir, f));
  const media = p.media.anchor ? new MediaLink({ socketPath: fromData(p.media.socket), log }) : undefined;
  const holdMusic = [{ file: p.media.holdMusic }];
  const dialDeps = { api: d.api, media, codecs: p.media.codecs, clock, log };
  const host: PbxCallHost = new PbxCallHost({
    dial: dialDeps,
    targets: { users: d.users, location: d.location, domain: p.domain },
    prompts: { ttsDir: join(config.dataDir, 'tts'), espeak: findEspeak() },
    cdrs: d.cdrs,
    domain: p.domain,
    voicemailUser: config.voicemail.serviceUser,
    localService: (session, uri) => sessions.runService(session, uri, services),
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
          contextMode: p.dialplan.contextMode,
          spareContexts: p.dialplan.spareContexts,
          ...(p.dialplan.memoryLimitMb !== undefined ? { memoryLimitMb: p.dialplan.memoryLimitMb } : {}),
        },
        fallback: { beforeAnswer: p.dialplan.fallbackStatus, afterAnswer: p.dialplan.fallbackAfterAnswer },
      })
    : undefined;
  // Built-in services by the user part that reaches them; voicemail adds its own (app.ts).
  const services = new Map<string, string>([['echo', 'echo']]);
  const serviceHandlers = new Map<string, CallService>([['echo', (session) => echoService(session, media, log)]]);
  const base = dialplans
    ? dialplanRouter(p.dialplan.entry, p.dialplan.routes)
    : extensionRouter({ users: d.users, location: d.location, strategy: p.calls.strategy, redirect: new Set(p.calls.redirect) });
  const sessions: SessionRunner = new SessionRunner({
    api: d.api, media, host, dialplans, services: serviceHandlers, cdrs: d.cdrs, domain: p.domain, clock, log,
  });
  return {
    router: serviceRouter(services, base),
    sessions, host, media, dialplans, services, serviceHandlers,
    async dialExtension(session, extension) {
      const r = await resolveTargets([{ kind: 'user', user: extension }], host.targetDeps);
      if (r.targets.length === 0) return void log.info(`call ${session.callId}: cannot call ${extension} back: ${r.problems.join('; ')}`);
      await dial(session, {
        targets: r.targets, strategy: 'parallel', ringTimeoutMs: p.calls.ringTimeoutSec * 1000, perTargetTimeoutMs: p.calls.perContactTimeoutSec * 1000,
        headers: { From: `<sip:${session.caller}@${p.domain}>`, To: `<sip:${extension}@${p.domain}>` },
        ringback: 'ring', holdMusic, maxDurationMs: null, label: () => extension,
      }, dialDeps);
    },
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

