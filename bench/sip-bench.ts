// SIP engine benchmark: the highest call rate held for a window with zero failed calls, and the
// REGISTER rate, each beside sipp's own UAC→UAS ceiling measured in the same run. Every engine
// step also prints the CPU the engine and the app used per call (µs), which is what the engine's
// speed work moves and is far less noisy than a held rate on a shared machine.
//
//   node --import tsx bench/sip-bench.ts [--window 20] [--start 250] [--step 250] [--max 3000]
//                                        [--reg-start 1000] [--reg-step 1000] [--reg-max 8000]
//                                        [--only calls|register] [--no-ceiling] [--profile DIR]
//   node --import tsx bench/sip-bench.ts --micro 20000
//
// A single fixed rate is `--start N --max N`. `--profile DIR` runs the engine under
// `node --cpu-prof` and leaves the .cpuprofile in DIR when the engine exits. `--micro N` instead
// runs N calls and N REGISTERs through an in-process engine with a scripted app and no sockets,
// and prints the engine's CPU per call: its JavaScript cost alone, steady on a busy machine
// (it includes the script's own small share, the same in every run).
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
const PROFILE_DIR = strArg('profile');
const doCalls = ONLY === undefined || ONLY === 'calls';
const doRegs = ONLY === undefined || ONLY === 'register';

/** Like `ramp`, one step at a time, printing engine and app CPU per call for each step. */
async function engineRamp(label: string, uac: Omit<SippOptions, 'rate' | 'calls'>, r: Ramp, engine: ChildProcess, app: ChildProcess): Promise<number> {
  let held = 0;
  for (let rate = r.start; rate <= r.max; rate += r.step) {
    const [e, a] = [cpuMeter(engine.pid), cpuMeter(app.pid)];
    const ok = (await ramp(label, uac, { ...r, start: rate, max: rate })) === rate;
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
    process.stdout.write(`in-process engine, ${kind}: ${r.usPerCall.toFixed(1)} µs CPU per ${kind === 'calls' ? 'call' : 'REGISTER'} (${total}; left: ${r.check})\n`);
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
    process.stdout.write(`SIP engine benchmark (window ${WINDOW_S}s)\n`);
    if (CEILING && doCalls) {
      // Ceiling: sipp UAC straight to a sipp UAS, same scenarios.
      const ceilingUas = await startSipp({ scenario: 'uas-answer-then-bye', pauseMs: 100, calls: 1_000_000, timeoutMs: 0, traceScreen: false, maxConcurrent: 10_000 });
      sippCalls = await ramp('sipp->sipp calls', { scenario: 'uac-invite-wait-bye', remote: `127.0.0.1:${ceilingUas.localPort}` }, CALLS);
      await ceilingUas.stop();
    }
    if (CEILING && doRegs) {
      const regUas = await startSipp({ scenario: 'uas-register-noauth', calls: 10_000_000, timeoutMs: 0, traceScreen: false, maxConcurrent: 10_000 });
      sippRegs = await ramp('sipp->sipp REGISTER', { scenario: 'uac-register-noauth', remote: `127.0.0.1:${regUas.localPort}` }, REGS);
      await regUas.stop();
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
