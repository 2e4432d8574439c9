// PBX benchmark: REGISTERs with digest auth per second and B2BUA calls per second between a sipp
// UAC and a sipp UAS through the PBX (no media anchoring), each next to the engine-only figure
// (trivial srf app) measured in the same run.
//
//   node --import tsx bench/pbx-bench.ts [--window 30] [--call-start 100] [--call-step 100] [--call-max 1500]
//                                        [--reg-start 500] [--reg-step 500] [--reg-max 6000]
//                                        [--only calls|register] [--no-engine] [--warmup 5]
//                                        [--sipp-traces] [--profile DIR]
//
// Every step prints the CPU the PBX app and the engine used per call (or per REGISTER) and the
// load average: on a shared machine the held rate moves with the neighbours, the CPU per call
// much less. A single fixed rate is `--call-start N --call-max N`.
//
// sipp runs lean (statistics only, big socket buffers; support/sipp-lean.ts), as the SIP engine
// benchmark does, for the engine-only reference and the PBX alike. `--sipp-traces` runs it as the
// tests do (every message logged), as this benchmark did before; sipp then costs about twice the
// CPU per call, CPU the PBX and the engine do not get on a 2-core machine.
//
// Each ramp follows a short warm-up (`--warmup` seconds at a fifth of its start rate, not
// counted) so the first step measures the code, not the JIT. `--profile DIR` runs the engine and
// the PBX app under `node --cpu-prof` and leaves their .cpuprofile files in DIR when they exit
// (the engine's is the one with the lower pid: it starts first).
//
// --dialplan: calls/s through the full PBX running the default dialplan (apps/default, installed
// into the data dir on first start) next to the same PBX with dialplans off, both without media
// anchoring, ramped side by side (defaults: --window 10 --call-start 50 --call-step 50 --call-max 400).
// `--context-mode frozen|per-call|shared` picks the dialplan sandbox's mode (default: the PBX's, frozen).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { startSipp, type SippOptions } from '../test/sipp/sipp.ts';
import { freePort } from '../test/support/ports.ts';
import { ramp, ratio, runChild, startChild, stopChild, type Ramp } from './support/sipp-ramp.ts';
import { leanStep, startLeanSipp } from './support/sipp-lean.ts';
import { cpuMeter } from './support/proc-cpu.ts';
import { dialplanComparison } from './support/dialplan-ramp.ts';
import type { ContextMode } from '../dialplan/sandbox/index.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const strArg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const DIALPLAN_MODE = process.argv.includes('--dialplan');
const CONTEXT_MODE = process.argv.includes('--context-mode') ? process.argv[process.argv.indexOf('--context-mode') + 1] : undefined;
const WINDOW_S = arg('window', DIALPLAN_MODE ? 10 : 30);
const CALLS: Ramp = DIALPLAN_MODE
  ? { start: arg('call-start', 50), step: arg('call-step', 50), max: arg('call-max', 400), windowS: WINDOW_S }
  : { start: arg('call-start', 100), step: arg('call-step', 100), max: arg('call-max', 1500), windowS: WINDOW_S };
const REGS: Ramp = { start: arg('reg-start', 500), step: arg('reg-step', 500), max: arg('reg-max', 6000), windowS: WINDOW_S };
const ONLY = strArg('only');
const DO_CALLS = ONLY === undefined || ONLY === 'calls';
const DO_REGS = ONLY === undefined || ONLY === 'register';
const ENGINE_ONLY = !process.argv.includes('--no-engine');
const TRACED = process.argv.includes('--sipp-traces');
const WARMUP_S = arg('warmup', 5);
const PROFILE_DIR = strArg('profile');
const PROF = PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', resolve(PROFILE_DIR)] : [];

type Uac = Omit<SippOptions, 'rate' | 'calls'>;

interface Stack {
  sipPort: number;
  engine: ChildProcess;
  app: ChildProcess;
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** One window at `rate` in the chosen sipp mode; true when every call of it succeeded. */
async function step(label: string, uac: Uac, rate: number, windowS: number): Promise<boolean> {
  if (!TRACED) return leanStep(label, uac, rate, windowS);
  return (await ramp(label, uac, { start: rate, step: 1, max: rate, windowS })) === rate;
}

/** The ramp, one step at a time, with the app's and the engine's CPU per call and the load. */
async function measuredRamp(label: string, unit: string, uac: Uac, r: Ramp, s: Stack): Promise<number> {
  if (WARMUP_S > 0) await step(`${label} (warm-up)`, uac, Math.max(1, Math.round(r.start / 5)), WARMUP_S);
  let held = 0;
  for (let rate = r.start; rate <= r.max; rate += r.step) {
    const [app, engine] = [cpuMeter(s.app.pid), cpuMeter(s.engine.pid)];
    const ok = await step(label, uac, rate, r.windowS);
    const n = rate * r.windowS;
    process.stdout.write(`    CPU per ${unit}: app ${app(n).toFixed(0)} µs, engine ${engine(n).toFixed(0)} µs   (load ${load()})\n`);
    if (!ok) break;
    held = rate;
  }
  return held;
}

async function withEngine<T>(dir: string, app: (adminPort: number, cfgFile: string) => Promise<ChildProcess>, body: (s: Stack) => Promise<T>): Promise<T> {
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
  const engine = await startChild([...PROF, 'bin/pbx.ts', 'sip', '--config', cfgFile], /listening/);
  let a: ChildProcess | undefined;
  try {
    a = await app(adminPort, cfgFile);
    return await body({ sipPort, engine, app: a });
  } finally {
    await stopChild(a, 15_000); // a profiled process writes its profile on the way out
    await stopChild(engine, 15_000);
  }
}

/** A UAS answering every call, in the chosen sipp mode. */
async function startUas(opts: SippOptions): Promise<{ stop(): Promise<unknown> }> {
  return TRACED ? startSipp(opts) : startLeanSipp(opts, 3_600_000);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pbx-bench-'));
  try {
    process.stdout.write(`PBX benchmark (window ${WINDOW_S}s, sipp ${TRACED ? 'with message traces' : 'lean'}; load ${load()})\n`);
    let engineCalls = 0;
    let engineRegs = 0;
    if (ENGINE_ONLY) {
      const trivial = (admin: number) => startChild(['bench/apps/trivial-srf.ts', String(admin), 'bench'], /ready/);
      [engineCalls, engineRegs] = await withEngine(dir, trivial, async (s) => {
        const remote = `127.0.0.1:${s.sipPort}`;
        return [
          DO_CALLS ? await measuredRamp('engine-only calls', 'call', { scenario: 'uac-invite-wait-bye', remote }, CALLS, s) : 0,
          DO_REGS ? await measuredRamp('engine-only REGISTER', 'REGISTER', { scenario: 'uac-register-noauth', remote }, REGS, s) : 0,
        ];
      });
    }
    const pbxApp = async (_admin: number, cfg: string) => {
      for (const [ext, pw] of [['2000', 'bench-2000'], ['2001', 'bench-2001']] as const) {
        await runChild(['bin/pbx.ts', 'user', 'add', ext, '--password', pw, '--config', cfg]);
      }
      return startChild([...PROF, 'bin/pbx.ts', 'app', '--config', cfg], /connected/i);
    };
    const [pbxCalls, pbxRegs] = await withEngine(dir, pbxApp, async (s) => {
      const remote = `127.0.0.1:${s.sipPort}`;
      const calleePort = await freePort('both');
      const reg = await (await startSipp({ scenario: 'uac-register', remote, localPort: calleePort, service: '2001', authUser: '2001', authPassword: 'bench-2001', keys: { expires: '3600' } })).done;
      if (reg.exitCode !== 0) throw new Error(`callee registration failed: ${reg.errors}`);
      const callee = await startUas({ scenario: 'uas-answer', localPort: calleePort, calls: 10_000_000, timeoutMs: 0, traceScreen: false, maxConcurrent: 10_000 });
      try {
        return [
          DO_CALLS
            ? await measuredRamp('PBX B2BUA calls', 'call', { scenario: 'uac-invite-auth', remote, service: '2001', authUser: '2000', authPassword: 'bench-2000', pauseMs: 100 }, CALLS, s)
            : 0,
          DO_REGS ? await measuredRamp('PBX REGISTER+digest', 'REGISTER', { scenario: 'uac-register', remote, service: '2000', authUser: '2000', authPassword: 'bench-2000' }, REGS, s) : 0,
        ];
      } finally {
        await callee.stop();
      }
    });
    process.stdout.write(
      `\nresult (held ${WINDOW_S}s, 0 failed)   PBX   engine-only   ratio   (load ${load()})\n` +
        (DO_CALLS ? `calls/s                       ${String(pbxCalls).padStart(5)}   ${String(engineCalls).padStart(11)}   ${ratio(pbxCalls, engineCalls)}\n` : '') +
        (DO_REGS ? `REGISTER/s (PBX with digest)  ${String(pbxRegs).padStart(5)}   ${String(engineRegs).padStart(11)}   ${ratio(pbxRegs, engineRegs)}\n` : ''),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (DIALPLAN_MODE) {
  if (CONTEXT_MODE !== undefined && !['frozen', 'per-call', 'shared'].includes(CONTEXT_MODE)) throw new Error('--context-mode: frozen, per-call or shared');
  await dialplanComparison(CALLS, CONTEXT_MODE as ContextMode | undefined, PROF);
}
else await main();
