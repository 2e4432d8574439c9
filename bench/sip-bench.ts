// SIP engine benchmark: the highest call rate held for a window with zero failed calls, and the
// REGISTER rate, each beside sipp's own UAC→UAS ceiling measured in the same run.
//
//   node --import tsx bench/sip-bench.ts [--window 20] [--start 250] [--step 250] [--max 3000]
//                                        [--reg-start 1000] [--reg-step 1000] [--reg-max 8000]
//
// Engine, app and sipp run as separate processes sharing the machine's cores, as drachtio-server
// would with its app. Every process is ended by PID; every step is bounded in calls and time.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSipp, type SippOptions } from '../test/sipp/sipp.ts';
import { freePort } from '../test/support/ports.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const WINDOW_S = arg('window', 20);
const START = arg('start', 250);
const STEP = arg('step', 250);
const MAX = arg('max', 3000);
const REG_START = arg('reg-start', 1000);
const REG_STEP = arg('reg-step', 1000);
const REG_MAX = arg('reg-max', 8000);

function child(args: string[], ready?: RegExp): Promise<ChildProcess> {
  const p = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    if (!ready) return resolve(p);
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) resolve(p);
    };
    p.stdout!.on('data', onData);
    p.stderr!.on('data', onData);
    p.once('exit', (c) => reject(new Error(`child exited ${c}: ${out}`)));
  });
}

async function kill(p: ChildProcess | undefined): Promise<void> {
  if (!p || p.exitCode !== null) return;
  p.kill('SIGTERM');
  await Promise.race([new Promise((r) => p.once('exit', r)), new Promise((r) => setTimeout(r, 3000))]);
  if (p.exitCode === null) p.kill('SIGKILL');
}

interface Step {
  rate: number;
  ok: boolean;
  successful: number;
  failed: number;
}

/** One step: `rate` calls/s for WINDOW_S seconds; held = every call succeeded. */
async function step(uac: Omit<SippOptions, 'rate' | 'calls'>, rate: number): Promise<Step> {
  const calls = rate * WINDOW_S;
  const run = await startSipp({ ...uac, rate, ratePeriodMs: 1000, calls, maxConcurrent: rate * 5, timeoutMs: (WINDOW_S + 30) * 1000, traceScreen: false });
  const r = await run.done;
  return { rate, ok: r.exitCode === 0 && r.failed === 0 && r.successful === calls, successful: r.successful, failed: r.failed };
}

async function ramp(label: string, uac: Omit<SippOptions, 'rate' | 'calls'>, [start, inc, max] = [START, STEP, MAX]): Promise<number> {
  let held = 0;
  for (let rate = start; rate <= max; rate += inc) {
    const s = await step(uac, rate);
    process.stdout.write(`  ${label}: ${rate}/s for ${WINDOW_S}s → ${s.successful} ok, ${s.failed} failed${s.ok ? '' : '  ✗'}\n`);
    if (!s.ok) break;
    held = rate;
  }
  return held;
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
  try {
    process.stdout.write(`SIP engine benchmark (window ${WINDOW_S}s, rates ${START}..${MAX} step ${STEP})\n`);
    // Ceiling: sipp UAC straight to a sipp UAS, same scenarios.
    const ceilingUas = await startSipp({ scenario: 'uas-answer-then-bye', pauseMs: 100, calls: 1_000_000, timeoutMs: 0, traceScreen: false, maxConcurrent: 10_000 });
    const sippCalls = await ramp('sipp→sipp calls', { scenario: 'uac-invite-wait-bye', remote: `127.0.0.1:${ceilingUas.localPort}` });
    await ceilingUas.stop();
    const regUas = await startSipp({ scenario: 'uas-register-noauth', calls: 10_000_000, timeoutMs: 0, traceScreen: false, maxConcurrent: 10_000 });
    const sippRegs = await ramp('sipp→sipp REGISTER', { scenario: 'uac-register-noauth', remote: `127.0.0.1:${regUas.localPort}` }, [REG_START, REG_STEP, REG_MAX]);
    await regUas.stop();

    procs.push(await child(['bin/pbx.ts', 'sip', '--config', join(dir, 'config.json')], /listening/));
    procs.push(await child(['bench/apps/trivial-srf.ts', String(adminPort), 'bench'], /ready/));
    const engineCalls = await ramp('engine calls', { scenario: 'uac-invite-wait-bye', remote: `127.0.0.1:${sipPort}` });
    const engineRegs = await ramp('engine REGISTER', { scenario: 'uac-register-noauth', remote: `127.0.0.1:${sipPort}` }, [REG_START, REG_STEP, REG_MAX]);

    const ratio = (a: number, b: number) => (b ? (a / b).toFixed(2) : 'n/a');
    process.stdout.write(
      `\nresult                     engine    sipp ceiling   ratio\n` +
        `calls/s held ${WINDOW_S}s, 0 fail  ${String(engineCalls).padStart(6)}    ${String(sippCalls).padStart(8)}       ${ratio(engineCalls, sippCalls)}\n` +
        `REGISTER/s held            ${String(engineRegs).padStart(6)}    ${String(sippRegs).padStart(8)}       ${ratio(engineRegs, sippRegs)}\n`,
    );
  } finally {
    for (const p of procs.reverse()) await kill(p);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
