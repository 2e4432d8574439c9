// The PBX app process (`pbx app`, supervised by `pbx start`): opens the database, connects srf to
// the engine's admin socket (reconnecting when the engine restarts) and serves the HTTP API.
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { PbxConfig } from '../config/schema.ts';
import { systemClock, type Clock } from '../sip/util/clock.ts';
import { createLogger, type Logger } from '../sip/util/logger.ts';
import { createPbxApp, type PbxApp } from './app.ts';
import { createHttpApp } from './http/app.ts';
import { adminToken, databasePath, drachtioTarget } from './settings.ts';
import { createSrf, shutdownSrf, type SrfApp } from './srf-types.ts';
import { openDatabase } from './store/db.ts';
import { seedDemoUsers } from './users/demo-users.ts';
import type { MailboxCounts } from '../../voicemail/mwi/index.ts';
import type { MailboxStore } from '../../voicemail/store/mailbox-store.ts';
import { createVoicemailWeb } from '../../voicemail/web/index.ts';
import { webSettings } from '../../voicemail/web/settings.ts';

export interface RunningPbx {
  app: PbxApp;
  srf: SrfApp;
  /** Port the HTTP API listens on (useful with port 0). */
  httpPort: number;
  adminToken: string;
  /** The voicemail store behind the web pages (/voicemail). */
  voicemail: MailboxStore;
  /** Resolves once srf is connected to the engine (again). */
  connected(): Promise<void>;
  close(): Promise<void>;
}

export async function startPbx(cfg: PbxConfig, opts: { log?: Logger; clock?: Clock; mailboxes?: MailboxCounts } = {}): Promise<RunningPbx> {
  const log = opts.log ?? createLogger(cfg.logLevel, 'pbx');
  const { db, created } = openDatabase(databasePath(cfg));
  const srf = createSrf();
  const app = createPbxApp({ srf, db, config: cfg, log, clock: opts.clock ?? systemClock, mailboxes: opts.mailboxes });
  if (created && cfg.pbx.demoUsers) seedDemoUsers(app.admin, { dataDir: cfg.dataDir, domain: cfg.pbx.domain, log });

  const token = adminToken(cfg);
  if (token.file) log.notice(`HTTP API admin token in ${token.file}`);
  const clock = opts.clock ?? systemClock;
  const voicemail = app.voicemail;
  const web = cfg.voicemail.web.enabled
    ? createVoicemailWeb({ store: voicemail, users: app.users, admin: app.admin, settings: webSettings(cfg), clock, log }).app
    : undefined;
  const http = createHttpApp({
    admin: app.admin, location: app.location, cdrs: app.cdrs, adminToken: token.token, maxBodyBytes: cfg.pbx.http.maxBodyBytes, log,
    voicemail: web,
  });
  let server: ReturnType<typeof serve>;
  try {
    server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: http.fetch, hostname: cfg.pbx.http.address, port: cfg.pbx.http.port }, () => resolve(s));
      s.once('error', reject);
    });
  } catch (err) {
    app.close();
    db.close();
    throw new Error(`HTTP API cannot listen on ${cfg.pbx.http.address}:${cfg.pbx.http.port}: ${(err as Error).message}`);
  }
  const httpPort = (server.address() as AddressInfo).port;
  log.notice(`HTTP API on http://${cfg.pbx.http.address}:${httpPort}/api`);

  let isConnected = false;
  const waiters: (() => void)[] = [];
  srf.on('connect', (err, hostport) => {
    if (err) return log.error(`cannot log in to the engine: ${err.message}`);
    isConnected = true;
    log.notice(`connected to the SIP engine (${hostport})`);
    for (const w of waiters.splice(0)) w();
  });
  // srf emits 'error' for refused/dropped connections and retries by itself; without a
  // listener the error would crash the process.
  srf.on('error', (err) => log.info(`engine connection: ${(err as Error).message ?? String(err)}`));
  srf.on('close', () => {
    if (isConnected) log.warn('lost the SIP engine connection; reconnecting');
    isConnected = false;
  });
  // Dialplans compile (and the default is installed) before calls can arrive.
  await app.routing.start();
  srf.connect({ ...drachtioTarget(cfg), reconnect: { retryMaxDelay: cfg.pbx.reconnectMaxDelayMs } });

  return {
    app, srf, httpPort, adminToken: token.token, voicemail,
    connected: () => (isConnected ? Promise.resolve() : new Promise((r) => waiters.push(r))),
    async close() {
      app.close();
      await app.routing.close();
      shutdownSrf(srf);
      await new Promise<void>((r) => server.close(() => r()));
      app.writes.flush(); // CDRs of calls that ended while routing closed
      db.close();
    },
  };
}

/** `pbx app`: runs until SIGINT/SIGTERM. */
export async function runPbxApp(cfg: PbxConfig): Promise<number> {
  let pbx: RunningPbx;
  try {
    pbx = await startPbx(cfg);
  } catch (err) {
    process.stderr.write(`pbx app: cannot start: ${(err as Error).message}\n`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await pbx.close();
  return 0;
}
