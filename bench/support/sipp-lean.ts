// sipp as the SIP benchmark's load generator: statistics and errors only, no per-message traces,
// and socket buffers big enough for bursts.
//
// The test runner (test/sipp/sipp.ts) logs every message sipp sends and receives, which doubles
// sipp's CPU per call (measured: ~130 → ~270 µs at 1000 calls/s), and keeps sipp's default 64 KB
// socket buffers, which overflow whenever sipp is descheduled for a few ms on a busy machine: the
// lost 200 OKs then fail calls ("unexpected BYE") that the engine answered in time. Both hide the
// engine's own ceiling, so the benchmark runs sipp lean, for the reference and the engine alike.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSippArgs, parseSippStats, type SippOptions } from '../../test/sipp/sipp.ts';
import { freePort, freePortBlock } from '../../test/support/ports.ts';
import type { Ramp } from './sipp-ramp.ts';

/** SO_RCVBUF/SO_SNDBUF for sipp (the kernel caps it at net.core.rmem_max/wmem_max). */
const BUFFER_BYTES = 4 * 1024 * 1024;
/** Per-message traces the test runner always asks for; the benchmark drops them. */
const TRACE_FLAGS: Readonly<Record<string, boolean>> = {
  '-trace_msg': false, '-message_file': true, '-trace_logs': false, '-log_file': true,
  '-trace_calldebug': false, '-calldebug_file': true, '-trace_screen': false, '-screen_file': true,
};

export interface LeanResult {
  exitCode: number | null;
  successful: number;
  failed: number;
  /** Kinds of failure sipp logged (its -trace_err lines, numbers stripped), with counts. */
  errors: Map<string, number>;
}

export interface LeanSipp {
  readonly pid: number;
  readonly localPort: number;
  /** Exit code and the call counts of the stats file. */
  readonly done: Promise<LeanResult>;
  stop(): Promise<void>;
}

function leanArgs(opts: SippOptions, dir: string): string[] {
  const full = buildSippArgs(opts, dir);
  const out: string[] = [];
  for (let i = 0; i < full.length; i++) {
    const a = full[i]!;
    const takesValue = TRACE_FLAGS[a];
    if (takesValue === undefined) out.push(a);
    else if (takesValue) i++;
  }
  out.push('-buff_size', String(BUFFER_BYTES));
  return out;
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return ''; // sipp died before writing it, or had nothing to say
  }
}

/** sipp's -trace_err lines grouped by kind (call ids, numbers and URIs blanked), with counts. */
function errorKinds(log: string): Map<string, number> {
  const kinds = new Map<string, number>();
  for (const m of log.matchAll(/\d{9,}\.\d+: ([^\r\n]*)/g)) {
    const kind = m[1]!
      .replace(/[^\s']*@[^\s']*/g, '…')
      .replace(/sip:\S*/g, 'sip:…')
      .replace(/\d+/g, '#')
      .slice(0, 140);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return kinds;
}

/** True once a UDP socket is bound on 127.0.0.1:port (sipp UAS ready). */
function udpBound(port: number): boolean {
  const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/udp', 'latin1').includes(` ${hex} `);
}

export async function startLeanSipp(opts: SippOptions, hardLimitMs: number): Promise<LeanSipp> {
  const localPort = opts.localPort ?? (await freePort('both'));
  const full: SippOptions = {
    ...opts,
    localPort,
    mediaPort: opts.mediaPort ?? (await freePortBlock(4, 'udp', '127.0.0.1', { even: true })),
    controlPort: opts.controlPort ?? (await freePort('udp', '127.0.0.1')),
  };
  const dir = mkdtempSync(join(tmpdir(), 'sipp-lean-'));
  const child = spawn('sipp', leanArgs(full, dir), { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'] });
  const kill = setTimeout(() => child.kill('SIGKILL'), hardLimitMs);
  const done = new Promise<LeanResult>((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(kill);
      const stats = parseSippStats(readOr(join(dir, 'stats.csv')));
      const errors = errorKinds(readOr(join(dir, 'errors.log')));
      rmSync(dir, { recursive: true, force: true });
      const n = (c: string) => Number.parseInt(stats?.[c] ?? '0', 10) || 0;
      resolve({ exitCode: code, successful: n('SuccessfulCall(C)'), failed: n('FailedCall(C)'), errors });
    });
  });
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await done;
  };
  if (opts.remote === undefined) {
    // A UAS: wait (bounded) until it listens.
    for (let i = 0; i < 500 && !udpBound(localPort); i++) await new Promise((r) => setTimeout(r, 10));
    if (!udpBound(localPort)) {
      await stop();
      throw new Error(`sipp UAS not listening on ${localPort}`);
    }
  }
  return { pid: child.pid ?? -1, localPort, done, stop };
}

/** Like `ramp` (sipp-ramp.ts) with lean sipp: the highest rate whose whole window succeeded. */
export async function leanRamp(label: string, uac: Omit<SippOptions, 'rate' | 'calls'>, r: Ramp): Promise<number> {
  let held = 0;
  for (let rate = r.start; rate <= r.max; rate += r.step) {
    if (!(await leanStep(label, uac, rate, r.windowS))) break;
    held = rate;
  }
  return held;
}

/** One window at `rate`; true when every call of it succeeded. */
export async function leanStep(label: string, uac: Omit<SippOptions, 'rate' | 'calls'>, rate: number, windowS: number): Promise<boolean> {
  const calls = rate * windowS;
  const timeoutMs = (windowS + 30) * 1000;
  const run = await startLeanSipp({ ...uac, rate, ratePeriodMs: 1000, calls, maxConcurrent: rate * 5, timeoutMs, traceScreen: false }, timeoutMs + 5000);
  const res = await run.done;
  const ok = res.exitCode === 0 && res.failed === 0 && res.successful === calls;
  process.stdout.write(`  ${label}: ${rate}/s for ${windowS}s -> ${res.successful} ok, ${res.failed} failed${ok ? '' : '  FAIL'}\n`);
  if (!ok) for (const [kind, count] of [...res.errors].sort((a, b) => b[1] - a[1]).slice(0, 3)) process.stdout.write(`      ${count} × ${kind}\n`);
  return ok;
}
