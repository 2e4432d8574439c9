// PBX benchmark: REGISTERs with digest auth per second and B2BUA calls per second between a sipp
// UAC and a sipp UAS through the PBX (no media anchoring), each next to the engine-only figure
// (trivial srf app) measured in the same run.
//
//   node --import tsx bench/pbx-bench.ts [--window 30] [--call-start 100] [--call-step 100] [--call-max 1500]
//                                        [--reg-start 500] [--reg-step 500] [--reg-max 6000]
//
// --dialplan: calls/s through the full PBX running the default dialplan (apps/default, installed
// into the data dir on first start) next to the same PBX with dialplans off, both without media
// anchoring, ramped side by side (defaults: --window 10 --call-start 50 --call-step 50 --call-max 400).
// Each step also prints the app's and the engine's CPU per call, the steadier figure on a shared machine.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { startSipp } from '../test/sipp/sipp.ts';
import { freePort } from '../test/support/ports.ts';
import { ramp, ratio, runChild, startChild, stopChild, type Ramp } from './support/sipp-ramp.ts';
import { dialplanComparison } from './support/dialplan-ramp.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const DIALPLAN_MODE = process.argv.includes('--dialplan');
const WINDOW_S = arg('window', DIALPLAN_MODE ? 10 : 30);
const CALLS: Ramp = DIALPLAN_MODE
  ? { start: arg('call-start', 50), step: arg('call-step', 50), max: arg('call-max', 400), windowS: WINDOW_S }
  : { start: arg('call-start', 100), step: arg('call-step', 100), max: arg('call-max', 1500), windowS: WINDOW_S };
const REGS: Ramp = { start: arg('reg-start', 500), step: arg('reg-step', 500), max: arg('reg-max', 6000), windowS: WINDOW_S };

async function withEngine<T>(dir: string, app: (adminPort: number, sipPort: number, cfgFile: string) => Promise<ChildProcess>, body: (sipPort: number) => Promise<T>): Promise<T> {
  const sipPort = await freePort('both');
  const adminPort = await freePort('tcp');
  const cfgFile = join(dir, `config-${sipPort}.json`);
  writeFileSync(cfgFile, JSON.stringify({
    logLevel: 'notice',
    dataDir: dir,
    sip: { listen: [{ address: '127.0.0.1', port: sipPort, protocols: ['udp'] }], admin: { address: '127.0.0.1', port: adminPort, secret: 'bench' } },
    pbx: { domain: 'bench.test', demoUsers: false, http: { port: await freePort('tcp'), adminToken: 'bench-admin-token-0123456789' }, keepalive: { intervalSec: 0 }, auth: { throttle: { maxFailures: 0 } }, calls: { ringTimeoutSec: 60 },
      // The plain B2BUA this bench has always measured (dialplans and media anchoring are on by default).
      dialplan: { enabled: false }, media: { anchor: false } },
  }));
  const engine = await startChild(['bin/pbx.ts', 'sip', '--config', cfgFile], /listening/);
  const a = await app(adminPort, sipPort, cfgFile);
  try {
    return await body(sipPort);
  } finally {
    await stopChild(a);
    await stopChild(engine);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pbx-bench-'));
  try {
    process.stdout.write(`PBX benchmark (window ${WINDOW_S}s)\n`);
    const trivial = (admin: number) => startChild(['bench/apps/trivial-srf.ts', String(admin), 'bench'], /ready/);
    const [engineCalls, engineRegs] = await withEngine(dir, trivial, async (port) => [
      await ramp('engine-only calls', { scenario: 'uac-invite-wait-bye', remote: `127.0.0.1:${port}` }, CALLS),
      await ramp('engine-only REGISTER', { scenario: 'uac-register-noauth', remote: `127.0.0.1:${port}` }, REGS),
    ]);
    const pbxApp = async (_admin: number, _sip: number, cfg: string) => {
      for (const [ext, pw] of [['2000', 'bench-2000'], ['2001', 'bench-2001']] as const) {
        await runChild(['bin/pbx.ts', 'user', 'add', ext, '--password', pw, '--config', cfg]);
      }
      return startChild(['bin/pbx.ts', 'app', '--config', cfg], /connected/i);
    };
    const [pbxCalls, pbxRegs] = await withEngine(dir, pbxApp, async (port) => {
      const remote = `127.0.0.1:${port}`;
      const calleePort = await freePort('both');
      const reg = await (await startSipp({ scenario: 'uac-register', remote, localPort: calleePort, service: '2001', authUser: '2001', authPassword: 'bench-2001', keys: { expires: '3600' } })).done;
      if (reg.exitCode !== 0) throw new Error(`callee registration failed: ${reg.errors}`);
      const callee = await startSipp({ scenario: 'uas-answer', localPort: calleePort, calls: 10_000_000, timeoutMs: 0, traceScreen: false, maxConcurrent: 10_000 });
      try {
        return [
          await ramp('PBX B2BUA calls', { scenario: 'uac-invite-auth', remote, service: '2001', authUser: '2000', authPassword: 'bench-2000', pauseMs: 100 }, CALLS),
          await ramp('PBX REGISTER+digest', { scenario: 'uac-register', remote, service: '2000', authUser: '2000', authPassword: 'bench-2000' }, REGS),
        ];
      } finally {
        await callee.stop();
      }
    });
    process.stdout.write(
      `\nresult (held ${WINDOW_S}s, 0 failed)   PBX   engine-only   ratio\n` +
        `calls/s                       ${String(pbxCalls).padStart(5)}   ${String(engineCalls).padStart(11)}   ${ratio(pbxCalls, engineCalls)}\n` +
        `REGISTER/s (PBX with digest)  ${String(pbxRegs).padStart(5)}   ${String(engineRegs).padStart(11)}   ${ratio(pbxRegs, engineRegs)}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (DIALPLAN_MODE) await dialplanComparison(CALLS);
else await main();
