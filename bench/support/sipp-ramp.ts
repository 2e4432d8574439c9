// Shared by the SIP benchmarks: child processes ended by PID, and sipp rate ramps where a step
// "holds" only if every call of the window succeeded.
import { spawn, type ChildProcess } from 'node:child_process';
import { startSipp, type SippOptions } from '../../test/sipp/sipp.ts';

export function startChild(args: string[], ready?: RegExp): Promise<ChildProcess> {
  const p = spawn(process.execPath, ['--no-node-snapshot', '--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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

/** Runs a command to completion; rejects on a non-zero exit. */
export async function runChild(args: string[]): Promise<void> {
  const p = await startChild(args);
  const code = await new Promise<number | null>((r) => p.once('exit', r));
  if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}`);
}

/** SIGTERM, then SIGKILL after `graceMs` (a child under --cpu-prof needs time to write its profile). */
export async function stopChild(p: ChildProcess | undefined, graceMs = 3000): Promise<void> {
  if (!p || p.exitCode !== null) return;
  p.kill('SIGTERM');
  await Promise.race([new Promise((r) => p.once('exit', r)), new Promise((r) => setTimeout(r, graceMs))]);
  if (p.exitCode === null) p.kill('SIGKILL');
}

export interface Ramp {
  start: number;
  step: number;
  max: number;
  windowS: number;
}

/** Highest rate (per second) at which a whole window of calls succeeded; stops at the first failure. */
export async function ramp(label: string, uac: Omit<SippOptions, 'rate' | 'calls'>, r: Ramp): Promise<number> {
  let held = 0;
  for (let rate = r.start; rate <= r.max; rate += r.step) {
    const calls = rate * r.windowS;
    const run = await startSipp({ ...uac, rate, ratePeriodMs: 1000, calls, maxConcurrent: rate * 5, timeoutMs: (r.windowS + 30) * 1000, traceScreen: false });
    const res = await run.done;
    const ok = res.exitCode === 0 && res.failed === 0 && res.successful === calls;
    process.stdout.write(`  ${label}: ${rate}/s for ${r.windowS}s -> ${res.successful} ok, ${res.failed} failed${ok ? '' : '  FAIL'}\n`);
    if (!ok) break;
    held = rate;
  }
  return held;
}

export const ratio = (a: number, b: number): string => (b ? (a / b).toFixed(2) : 'n/a');
