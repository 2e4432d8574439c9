// SIP engine benchmark: the highest call rate held for a window with zero failed calls, and the
// REGISTER rate, each beside sipp's own UAC→UAS ceiling measured in the same run. Every engine
// step also prints the CPU the engine and the app used per call (µs), which is what the engine's
// speed work moves and is far less noisy than a held rate on a shared machine.
//
//   node --import tsx bench/sip-bench.ts [--window 20] [--start 250] [--step 250] [--max 3000]
//                                        [--reg-start 1000] [--reg-step 1000] [--reg-max 8000]
//                                        [--only calls|register] [--no-ceiling] [--profile DIR]
//                                        [--sipp-traces] [--warmup 5]
//   node --import tsx bench/sip-bench.ts --micro 20000
//
// A single fixed rate is `--start N --max N`. `--profile DIR` runs the engine under
// `node --cpu-prof` and leaves the .cpuprofile in DIR when the engine exits. `--micro N` instead
// runs N calls and N REGISTERs through an in-process engine with a scripted app and no sockets,
// and prints the engine's CPU per call: its JavaScript cost alone, steady on a busy machine
// (it includes the script's own small share, the same in every run).
//
// sipp runs lean (statistics only, 4 MB socket buffers; see support/sipp-lean.ts) for the
// reference and the engine alike. `--sipp-traces` runs it as the tests do instead (every message
// logged, default buffers), as this benchmark did before; sipp then costs twice the CPU per call.
//
// Each engine ramp follows a short warm-up (`--warmup` seconds at a fifth of its start rate, not
// counted): a cold engine runs unoptimized code for its first seconds, and the first step would
// measure the JIT, not the engine.
//
// Engine, app and sipp run as separate processes sharing the machine's cores, as drachtio-server
// would with its app. Every process is ended by PID; every step is bounded in calls and time.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { startSipp, type SippOptions } from '../test/sipp/sipp.ts';
import { freePort } from '../test/support/ports.ts';
import { ramp, ratio, startChild, stopChild, type Ramp } from './support/sipp-ramp.ts';
import { leanRamp, leanStep, startLeanSipp } from './support/sipp-lean.ts';
import { cpuMeter } from './support/proc-cpu.ts';
import { microPerCall } from './support/sip-micro.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const strArg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const WINDOW_S = arg('window', 20);
const CALLS: Ramp = { start: arg('start', 250), step: arg('step', 250), max: arg('max', 3000), windowS: WINDOW_S };
const REGS: Ramp = { start: arg('reg-start', 1000), step: arg('reg-step', 1000), max: arg('reg-max', 8000), windowS: WINDOW_S };
const ONLY = strArg('only');
const CEILING = !process.argv.includes('--no-ceiling');
const TRACED = process.argv.includes('--sipp-traces');
// `--udp-io native|dgram`: the engine's UDP layer (EngineConfig.udpIo), handed to the engine child
// through PBX_SIP_UDP_IO, which its default reads.
const UDP_IO = strArg('udp-io');
if (UDP_IO !== undefined) process.env.PBX_SIP_UDP_IO = UDP_IO;
const PROFILE_DIR = strArg('profile');
const WARMUP_S = arg('warmup', 5);
const doCalls = ONLY === undefined || ONLY === 'calls';
const doRegs = ONLY === undefined || ONLY === 'register';

type Uac = Omit<SippOptions, 'rate' | 'calls'>;

/** A sipp UAS for the reference, in the chosen sipp mode; returns its port and how to stop it. */
async function startUas(opts: SippOptions): Promise<{ port: number; stop(): Promise<unknown> }> {
  if (TRACED) {
    const r = await startSipp(opts);
    return { port: r.localPort, stop: () => r.stop() };
  }
  const r = await startLeanSipp(opts, 3_600_000);
  return { port: r.localPort, stop: () => r.stop() };
}

const rampOf = (label: string, uac: Uac, r: Ramp): Promise<number> => (TRACED ? ramp(label, uac, r) : leanRamp(label, uac, r));
const stepOf = async (label: string, uac: Uac, rate: number): Promise<boolean> =>
  TRACED ? (await ramp(label, uac, { start: rate, step: 1, max: rate, windowS: WINDOW_S })) === rate : leanStep(label, uac, rate, WINDOW_S);

/** Like the ramp, one step at a time, printing engine and app CPU per call for each step. */
async function engineRamp(label: string, uac: Uac, r: Ramp, engine: ChildProcess, app: ChildProcess): Promise<number> {
  if (WARMUP_S > 0) {
    const rate = Math.max(1, Math.round(r.start / 5));
    if (TRACED) await ramp(`${label} (warm-up)`, uac, { start: rate, step: 1, max: rate, windowS: WARMUP_S });
    else await leanStep(`${label} (warm-up)`, uac, rate, WARMUP_S);
  }
  let held = 0;
  for (let rate = r.start; rate <= r.max; rate += r.step) {
    const [e, a] = [cpuMeter(engine.pid), cpuMeter(app.pid)];
    const ok = await stepOf(label, uac, rate);
    const calls = rate * r.windowS;
    process.stdout.write(`    CPU per call: engine ${e(calls).toFixed(0)} µs, app ${a(calls).toFixed(0)} µs\n`);
    if (!ok) break;
    held = rate;
  }
  return held;
}

async function micro(total: number): Promise<void> {
  for (const kind of ['calls', 'register'] as const) {
    if ((kind === 'calls' && !doCalls) || (kind === 'register' && !doRegs)) continue;
    const r = await microPerCall(kind, total);
    const unit = kind === 'calls' ? 'call' : 'REGISTER';
    process.stdout.write(`in-process engine, ${kind}: ${r.best.toFixed(1)} µs CPU per ${unit} (best of 5 rounds; median ${r.median.toFixed(1)}; ${total} in all; left: ${r.check})\n`);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sip-bench-'));
  const sipPort = await freePort('both');
  const adminPort = await freePort('tcp');
  const config = {
    logLevel: 'notice',
    dataDir: dir,
    sip: { listen: [{ address: '127.0.0.1', port: sipPort, protocols: ['udp'] }], admin: { address: '127.0.0.1', port: adminPort, secret: 'bench' } },
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const procs: ChildProcess[] = [];
  let sippCalls = 0;
  let sippRegs = 0;
  try {
    process.stdout.write(`SIP engine benchmark (window ${WINDOW_S}s, sipp ${TRACED ? 'with message traces' : 'lean'})\n`);
    if (CEILING && doCalls) {
      // Ceiling: sipp UAC straight to a sipp UAS, same scenarios.
      const uas = await startUas({ scenario: 'uas-answer-then-bye', pauseMs: 100, calls: 1_000_000, timeoutMs: 0, traceScreen: false, maxConcurrent: 10_000 });
      sippCalls = await rampOf('sipp->sipp calls', { scenario: 'uac-invite-wait-bye', remote: `127.0.0.1:${uas.port}` }, CALLS);
      await uas.stop();
    }
    if (CEILING && doRegs) {
      const uas = await startUas({ scenario: 'uas-register-noauth', calls: 10_000_000, timeoutMs: 0, traceScreen: false, maxConcurrent: 10_000 });
      sippRegs = await rampOf('sipp->sipp REGISTER', { scenario: 'uac-register-noauth', remote: `127.0.0.1:${uas.port}` }, REGS);
      await uas.stop();
    }

    const prof = PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', resolve(PROFILE_DIR)] : [];
    const engine = await startChild([...prof, 'bin/pbx.ts', 'sip', '--config', join(dir, 'config.json')], /listening/);
    procs.push(engine);
    const app = await startChild(['bench/apps/trivial-srf.ts', String(adminPort), 'bench'], /ready/);
    procs.push(app);
    const engineCalls = doCalls ? await engineRamp('engine calls', { scenario: 'uac-invite-wait-bye', remote: `127.0.0.1:${sipPort}` }, CALLS, engine, app) : 0;
    const engineRegs = doRegs ? await engineRamp('engine REGISTER', { scenario: 'uac-register-noauth', remote: `127.0.0.1:${sipPort}` }, REGS, engine, app) : 0;

    process.stdout.write(
      `\nresult (held ${WINDOW_S}s, 0 failed)   engine   sipp ceiling   ratio\n` +
        (doCalls ? `calls/s                       ${String(engineCalls).padStart(6)}   ${String(sippCalls).padStart(12)}   ${ratio(engineCalls, sippCalls)}\n` : '') +
        (doRegs ? `REGISTER/s                    ${String(engineRegs).padStart(6)}   ${String(sippRegs).padStart(12)}   ${ratio(engineRegs, sippRegs)}\n` : ''),
    );
  } finally {
    for (const p of procs.reverse()) await stopChild(p);
    rmSync(dir, { recursive: true, force: true });
  }
}

const MICRO = arg('micro', 0);
await (MICRO > 0 ? micro(MICRO) : main());
