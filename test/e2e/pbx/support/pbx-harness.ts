// The PBX app in-process against a real engine on loopback, with its SQLite file in a temp dir,
// an HTTP API on a free port, and a wall clock tests can move forward (nonce and binding
// expiry without sleeping).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, type PbxConfig, type PbxConfigInput } from '../../../../core/config/schema.ts';
import type { Logger } from '../../../../core/sip/util/logger.ts';
import type { Clock } from '../../../../core/sip/util/clock.ts';
import { startPbx, type RunningPbx } from '../../../../core/pbx/main.ts';
import type { MailboxCounts } from '../../../../voicemail/mwi/index.ts';
import { FAST_TIMERS, startEngine, stopWhenIdle, type EngineHarness } from '../../../support/engine-harness.ts';

/** Real time plus an offset that only ever grows. */
export class ShiftedClock implements Clock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  setTimer(ms: number, fn: () => void) {
    const t = setTimeout(fn, ms);
    t.unref(); // like systemClock: a pending guard never keeps the test process alive
    return { cancel: () => clearTimeout(t) };
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

export const PASSWORDS: Readonly<Record<string, string>> = { '1001': 'secret-1001', '1002': 'secret-1002', '1003': 'secret-1003' };

export interface PbxHarness {
  engine: EngineHarness;
  pbx: RunningPbx;
  cfg: PbxConfig;
  dataDir: string;
  /** A config file for `pbx …` child processes that use the same database. */
  configFile: string;
  clock: ShiftedClock;
  /** Every log line of the app. */
  logs: string[];
  /** Stop the app and start a new one on the same database (the engine keeps running). */
  restart(): Promise<void>;
  api(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

export async function startPbxHarness(
  pbx: PbxConfigInput['pbx'] = {},
  users: Record<string, string> = PASSWORDS,
  opts: { mailboxes?: MailboxCounts } = {},
): Promise<PbxHarness> {
  const engine = await startEngine();
  const dataDir = mkdtempSync(join(tmpdir(), 'pbx-e2e-'));
  const input: PbxConfigInput = {
    dataDir,
    logLevel: process.env.PBX_TEST_LOG === 'debug' ? 'debug' : 'info',
    sip: { admin: { address: '127.0.0.1', port: engine.adminPort, secret: engine.secret }, timers: FAST_TIMERS },
    pbx: {
      domain: 'pbx.test',
      demoUsers: false,
      http: { address: '127.0.0.1', port: 0, adminToken: 'e2e-admin-token-0123456789' },
      keepalive: { intervalSec: 0 },
      // Plain "dial the extension" with SDP passed through unless a test asks for dialplans/media.
      media: { anchor: false },
      dialplan: { enabled: false },
      // sipp phones treat an unsolicited NOTIFY as an unexpected message; MWI tests turn it on.
      mwi: { unsolicited: false },
      ...pbx,
    },
  };
  const cfg = configSchema.parse(input);
  const configFile = join(dataDir, 'pbx.json');
  writeFileSync(configFile, JSON.stringify({ ...input, dataDir: '.' }));
  const clock = new ShiftedClock();
  const logs: string[] = [];
  const sink = (lvl: string) => (m: string) => {
    logs.push(`${lvl} ${m}`);
    if (process.env.PBX_TEST_LOG === 'debug') process.stderr.write(`${lvl} ${m}\n`);
  };
  const log: Logger = { debugEnabled: false, debug: sink('debug'), info: sink('info'), notice: sink('notice'), warn: sink('warn'), error: sink('error') };
  const boot = async () => {
    const p = await startPbx(cfg, { log, clock, mailboxes: opts.mailboxes });
    await p.connected();
    return p;
  };
  let first: RunningPbx;
  try {
    first = await boot();
  } catch (err) {
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const h: PbxHarness = {
    engine, cfg, dataDir, configFile, clock, logs,
    pbx: first,
    async restart() {
      await h.pbx.close();
      await waitApps(engine, 0);
      h.pbx = await boot();
    },
    api: (path, init = {}) =>
      fetch(`http://127.0.0.1:${h.pbx.httpPort}${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${h.pbx.adminToken}`, 'Content-Type': 'application/json', ...init.headers },
      }),
    async stop() {
      await h.pbx.close();
      await waitApps(engine, 0);
      try {
        await stopWhenIdle(engine); // throws if the engine kept a transaction, dialog or connection
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
  for (const [extension, password] of Object.entries(users)) h.pbx.app.admin.add({ extension, password });
  return h;
}

/** Waits (bounded) until the engine counts `n` connected apps; returns the last count. */
export async function waitApps(engine: EngineHarness, n: number, ms = 3000): Promise<number> {
  const deadline = Date.now() + ms;
  while (engine.engine.stats().apps !== n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return engine.engine.stats().apps;
}
