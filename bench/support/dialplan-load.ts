// Load for the dialplan benchmark: a CallHost that answers every op at once except dial, which
// parks until released (so calls stay live), and the measurements taken on one sandbox.
import type { CallHost, OpReply } from '../../dialplan/host/call-host.ts';
import { party, type CallInfo } from '../../dialplan/host/call-info.ts';
import type { OpName } from '../../dialplan/host/ops.ts';
import type { CallOutcome, Sandbox } from '../../dialplan/sandbox/index.ts';

export class BenchHost implements CallHost {
  readonly parked = new Map<string, () => void>();
  readonly #waiters = new Map<string, () => void>();
  ops = 0;
  op<K extends OpName>(callId: string, op: K): Promise<OpReply<never>> {
    this.ops++;
    const reply = { ok: true, value: null, t: Date.now() } as unknown as OpReply<never>;
    if (op !== 'dial') return Promise.resolve(reply);
    return new Promise((resolve) => {
      this.parked.set(callId, () => resolve({ ok: true, value: { status: 'answered', by: '1000', talkSeconds: 1, endedBy: 'callee' }, t: Date.now() } as unknown as OpReply<never>));
      this.#waiters.get(callId)?.();
    });
  }
  untilParked(id: string): Promise<void> {
    return this.parked.has(id) ? Promise.resolve() : new Promise((r) => this.#waiters.set(id, r));
  }
  releaseAll(): void {
    for (const release of this.parked.values()) release();
    this.parked.clear();
  }
}

export const callInfo = (i: number, dialed = '1000'): CallInfo => ({
  id: `bench-${i}`,
  from: party('1001', 'pbx.local'),
  to: party(dialed, 'pbx.local'),
  requestUri: `sip:${dialed}@pbx.local`,
  dialed,
  direction: 'internal',
  headers: { 'user-agent': 'bench', 'call-id': `bench-${i}` },
  startedAt: Date.now(),
});

export const cpuMs = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

export const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? NaN;

/** Rejects if the call ends before it parks in dial (a setup that failed). */
export function parked(host: BenchHost, id: string, run: Promise<CallOutcome>): Promise<void> {
  return Promise.race([host.untilParked(id), run.then((o) => Promise.reject(new Error(`call ${id} ended before its dial: ${JSON.stringify(o)}`)))]);
}

export interface Setup {
  /** Process CPU (all threads) from run() until the call is parked in dial, per call. */
  pathCpu: number[];
  wall: number[];
  /** CPU spent refilling the spare contexts after each call (off the call's path). */
  prepCpu: number[];
  runs: Promise<CallOutcome>[];
}

/** Sets up `n` calls one after another, all left live; between calls the spares are refilled. */
export async function sequentialSetup(sb: Sandbox, host: BenchHost, n: number, first: number, dialed: string): Promise<Setup> {
  const s: Setup = { pathCpu: [], wall: [], prepCpu: [], runs: [] };
  for (let i = first; i < first + n; i++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    const run = sb.run(callInfo(i, dialed), host);
    s.runs.push(run);
    await parked(host, `bench-${i}`, run);
    s.wall.push(performance.now() - w0);
    s.pathCpu.push(cpuMs(c0));
    const c1 = process.cpuUsage();
    await sb.warm(); // a quiet moment before the next call: the pool refills here
    s.prepCpu.push(cpuMs(c1));
  }
  return s;
}

export interface Burst {
  cpuPerCall: number;
  wallMs: number;
  failed: number;
}

/** `n` calls started at once, until all are parked (one isolate: its thread is the bottleneck). */
export async function burst(sb: Sandbox, host: BenchHost, n: number, first: number, dialed: string): Promise<Burst> {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const runs = Array.from({ length: n }, (_, i) => sb.run(callInfo(first + i, dialed), host));
  const settled = await Promise.allSettled(runs.map((run, i) => parked(host, `bench-${first + i}`, run)));
  const out = { cpuPerCall: cpuMs(c0) / n, wallMs: performance.now() - w0, failed: settled.filter((r) => r.status === 'rejected').length };
  host.releaseAll();
  await Promise.all(runs);
  return out;
}
