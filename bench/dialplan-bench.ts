// Per-call dialplan overhead at 1,000 concurrent calls: CPU per call setup (context, bundle
// evaluation, entry, first ops), memory per live call, and the cost of one op round trip.
// Run: node --no-node-snapshot --import tsx bench/dialplan-bench.ts [--calls 1000]
// Reference in the same run: the 'unsafe' node:vm sandbox (same bundle, same bridge, no isolate),
// so the ratios show what isolation itself costs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import ivm from 'isolated-vm';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileDialplan, type CompiledDialplan } from '../dialplan/compiler/compile.ts';
import type { CallHost, OpReply } from '../dialplan/host/call-host.ts';
import { party, type CallInfo } from '../dialplan/host/call-info.ts';
import type { OpName } from '../dialplan/host/ops.ts';
import { createSandbox, type CallOutcome, type SandboxKind, type SandboxOptions } from '../dialplan/sandbox/index.ts';

const CALLS = Number(process.argv[process.argv.indexOf('--calls') + 1]) || 1000;
const PLAYS = 8;
const LOOP_OPS = 2000;

const SOURCE = `import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => {
  if (call.dialed === 'loop') { for (let i = 0; i < ${LOOP_OPS}; i++) await call.sleep(0); return call.hangup(); }
  await call.answer();
  const r = await call.dial(call.dialed, { timeout: 30 }); // parked here until the bench releases it
  for (let i = 0; i < ${PLAYS}; i++) await call.play('prompt-' + i);
  call.vars.done = 'yes';
  return r.status === 'answered' ? call.hangup() : call.reject(480);
});
`;

/** Answers every op at once, except dial, which parks until released: the call stays live. */
class BenchHost implements CallHost {
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

const info = (i: number): CallInfo => ({
  id: `bench-${i}`,
  from: party('1001', 'pbx.local'),
  to: party('1000', 'pbx.local'),
  requestUri: 'sip:1000@pbx.local',
  dialed: '1000',
  direction: 'internal',
  headers: {},
  startedAt: Date.now(),
});

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

interface Figures {
  setupCpuP50: number;
  setupCpuP90: number;
  setupWallP50: number;
  concurrentCpuPerCall: number;
  concurrentWall: number;
  heapPerCallKiB: number | null;
  rssPerCallKiB: number;
  opRoundTripUs: number;
  loopWallUs: number;
  loopCpuUs: number;
  kills: number;
}

async function measure(dp: CompiledDialplan, kind: SandboxKind, contextMode: SandboxOptions['contextMode']): Promise<Figures> {
  const sb = createSandbox(dp, { maxConcurrentCalls: CALLS, contextMode, cpuLimitMs: 500, log: () => undefined }, kind);
  const host = new BenchHost();
  try {
    // Warm-up: compile the script in the isolate, JIT the bridge.
    for (let i = 0; i < 20; i++) {
      const p = sb.run(info(-1 - i), host);
      await host.untilParked(`bench-${-1 - i}`);
      host.releaseAll();
      await p;
    }
    global.gc?.();
    const heap0 = (await sb.heapUsed()) ?? 0;
    const rss0 = process.memoryUsage().rss;

    // 1. Sequential setup up to CALLS live calls: each call's CPU is attributable.
    const cpu: number[] = [];
    const wall: number[] = [];
    const runs: Promise<CallOutcome>[] = [];
    for (let i = 0; i < CALLS; i++) {
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      const run = sb.run(info(i), host);
      runs.push(run);
      await Promise.race([host.untilParked(`bench-${i}`), run.then((o) => Promise.reject(new Error(`call ${i} ended early: ${JSON.stringify(o)}`)))]);
      wall.push(performance.now() - w0);
      cpu.push(cpuMs(c0));
    }
    const heap = await sb.heapUsed();
    const rss = process.memoryUsage().rss;

    // 2. Release them all: every call makes PLAYS + 1 more round trips.
    const ops0 = host.ops;
    const c1 = process.cpuUsage();
    host.releaseAll();
    const outcomes = await Promise.all(runs);
    const opCpu = cpuMs(c1);
    const opCount = host.ops - ops0;
    if (outcomes.some((o) => o.result !== 'ok')) throw new Error(`a call failed: ${JSON.stringify(outcomes.find((o) => o.result !== 'ok'))}`);

    // 3. CALLS calls set up at once.
    const c2 = process.cpuUsage();
    const w2 = performance.now();
    const burst = Array.from({ length: CALLS }, (_, i) => sb.run(info(CALLS + i), host));
    await Promise.all(
      burst.map((run, i) => Promise.race([host.untilParked(`bench-${CALLS + i}`), run.then((o) => Promise.reject(new Error(`burst call ${i} ended early: ${JSON.stringify(o)}`)))])),
    );
    const concurrentWall = performance.now() - w2;
    const concurrentCpu = cpuMs(c2);
    host.releaseAll();
    await Promise.all(burst);

    // 4. One call alone making LOOP_OPS ops back to back: the bare round trip.
    const c3 = process.cpuUsage();
    const w3 = performance.now();
    const loop = await sb.run({ ...info(3 * CALLS), dialed: 'loop' }, host);
    const loopWall = performance.now() - w3;
    const loopCpu = cpuMs(c3);
    if (loop.result !== 'ok') throw new Error(`loop call failed: ${JSON.stringify(loop)}`);

    return {
      setupCpuP50: pct(cpu, 50),
      setupCpuP90: pct(cpu, 90),
      setupWallP50: pct(wall, 50),
      concurrentCpuPerCall: concurrentCpu / CALLS,
      concurrentWall,
      heapPerCallKiB: heap === null ? null : (heap - heap0) / CALLS / 1024,
      rssPerCallKiB: (rss - rss0) / CALLS / 1024,
      opRoundTripUs: (opCpu * 1000) / opCount,
      loopWallUs: (loopWall * 1000) / LOOP_OPS,
      loopCpuUs: (loopCpu * 1000) / LOOP_OPS,
      kills: sb.stats().kills,
    };
  } finally {
    await sb.dispose();
  }
}

/** The bare isolated-vm primitive the op channel is built on: µs per awaited host call. */
async function rawRoundTripUs(n: number): Promise<number> {
  const iso = new ivm.Isolate({ memoryLimit: 32 });
  try {
    const ctx = await iso.createContext();
    await ctx.global.set('host', new ivm.Reference(async () => ({ ok: true, value: null, t: 0 })));
    const script = await iso.compileScript(
      `(async (n) => { for (let i = 0; i < n; i++) await host.apply(undefined, ['id', 'sleep', { seconds: 0 }], { arguments: { copy: true }, result: { promise: true, copy: true } }); })`,
    );
    const loop = (await script.run(ctx, { reference: true })) as ivm.Reference<(n: number) => Promise<void>>;
    await loop.apply(undefined, [200], { result: { promise: true } });
    const t = performance.now();
    await loop.apply(undefined, [n], { result: { promise: true } });
    return ((performance.now() - t) * 1000) / n;
  } finally {
    iso.dispose();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pbx-dialplan-bench-'));
  try {
    writeFileSync(join(dir, 'bench.ts'), SOURCE);
    const compiled = await compileDialplan(join(dir, 'bench.ts'));
    if (!compiled.ok) throw new Error(compiled.message);
    const dp = compiled.dialplan;
    console.log(`dialplan bench: ${CALLS} concurrent calls, bundle ${(dp.code.length / 1024).toFixed(1)} KiB, compile + type-check ${dp.compileMs.toFixed(0)} ms`);
    const rows: [string, Figures][] = [
      ['isolated, context per call', await measure(dp, 'isolated', 'per-call')],
      ['isolated, shared context', await measure(dp, 'isolated', 'shared')],
      ['reference: node:vm (unsafe)', await measure(dp, 'unsafe', 'per-call')],
    ];
    const ref = rows[2]![1];
    const f = (n: number, d = 2) => n.toFixed(d);
    console.log('\nmode                           setup CPU p50 / p90 (ms)  setup wall p50  burst CPU/call  burst wall   heap/call   RSS/call  ops in flight  1 call op wall / CPU  kills');
    for (const [name, r] of rows) {
      console.log(
        `${name.padEnd(30)} ${f(r.setupCpuP50).padStart(7)} / ${f(r.setupCpuP90).padEnd(7)} (${f(r.setupCpuP50 / ref.setupCpuP50, 1)}x)` +
          `  ${f(r.setupWallP50).padStart(8)} ms  ${f(r.concurrentCpuPerCall).padStart(8)} ms  ${f(r.concurrentWall, 0).padStart(7)} ms` +
          `  ${r.heapPerCallKiB === null ? '      n/a' : `${f(r.heapPerCallKiB, 0).padStart(5)} KiB`}  ${f(r.rssPerCallKiB, 0).padStart(5)} KiB` +
          `  ${f(r.opRoundTripUs, 0).padStart(5)} µs CPU  ${f(r.loopWallUs, 0).padStart(6)} / ${f(r.loopCpuUs, 0).padEnd(4)} µs     ${r.kills}`,
      );
    }
    const raw = await rawRoundTripUs(LOOP_OPS);
    const ours = rows[0]![1].loopWallUs;
    console.log(`\nop round trip, one call: ${ours.toFixed(0)} µs vs ${raw.toFixed(0)} µs for a bare ivm Reference.apply (promise, copy) = ${(ours / raw).toFixed(1)}x`);
    console.log('setup = run() until the call is parked in dial: context, bundle evaluation, entry, answer + dial ops.');
    console.log(`burst = ${CALLS} calls started at once, until all are parked (one isolate: its thread is the bottleneck).`);
    console.log(`ops in flight = process CPU per op while ${CALLS} calls finish (${PLAYS} plays + hangup each, context teardown and GC included).`);
    console.log(`1 call op = one call making ${LOOP_OPS} ops back to back: wall and process CPU per round trip.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
