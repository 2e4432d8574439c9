// Per-call dialplan overhead at 1,000 concurrent calls: CPU per call setup on the call's path (the
// INVITE waits for it) and the CPU spent making spare contexts ahead of calls (in quiet moments),
// memory per live call, and the cost of one op round trip.
//
//   node --no-node-snapshot --expose-gc --import tsx bench/dialplan-bench.ts [--calls 1000] [--modes a,b,…]
//
// Modes (default: frozen,spares,shared,default-frozen,default-spares,default-shared):
//   frozen          bench dialplan, one frozen context, a fresh module instance per call (the default)
//   spares          bench dialplan, a fresh V8 context per call, spare contexts made ahead
//   on-demand       the same with spareContexts 0: every context made when its call arrives
//   shared          bench dialplan, one shared context and module instance (opt-in density mode)
//   default-frozen  apps/default/main.ts (what the PBX installs), frozen context
//   default-spares  apps/default/main.ts, fresh context per call, spares
//   default-shared  apps/default/main.ts, shared context
//   node-vm         the 'unsafe' node:vm sandbox (same bundle and bridge, no isolate): what
//                   isolation itself costs
// References in the same run: on-demand and shared beside spares, node-vm when asked for.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ivm from 'isolated-vm';
import { compileDialplan, type CompiledDialplan } from '../dialplan/compiler/compile.ts';
import { createSandbox, type SandboxKind, type SandboxOptions } from '../dialplan/sandbox/index.ts';
import { BenchHost, burst, callInfo, cpuMs, pct, sequentialSetup, type Burst } from './support/dialplan-load.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const CALLS = Number(arg('calls')) || 1000;
const MODES = (arg('modes') ?? 'frozen,spares,shared,default-frozen,default-spares,default-shared').split(',');
const PLAYS = 8;
const LOOP_OPS = 2000;
const DEFAULT_DIALPLAN = fileURLToPath(new URL('../apps/default/main.ts', import.meta.url));

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

interface Mode {
  name: string;
  dialplan: 'bench' | 'default';
  kind: SandboxKind;
  sandbox: Partial<SandboxOptions>;
  burst: boolean;
}
const ALL: Record<string, Mode> = {
  frozen: { name: 'bench, frozen context', dialplan: 'bench', kind: 'isolated', sandbox: { contextMode: 'frozen' }, burst: true },
  spares: { name: 'bench, context per call, spares', dialplan: 'bench', kind: 'isolated', sandbox: { contextMode: 'per-call' }, burst: true },
  'on-demand': { name: 'bench, context per call, no spares', dialplan: 'bench', kind: 'isolated', sandbox: { contextMode: 'per-call', spareContexts: 0 }, burst: false },
  shared: { name: 'bench, shared context', dialplan: 'bench', kind: 'isolated', sandbox: { contextMode: 'shared' }, burst: true },
  'default-frozen': { name: 'default, frozen context', dialplan: 'default', kind: 'isolated', sandbox: { contextMode: 'frozen' }, burst: true },
  'default-spares': { name: 'default, context per call, spares', dialplan: 'default', kind: 'isolated', sandbox: { contextMode: 'per-call' }, burst: true },
  'default-shared': { name: 'default, shared context', dialplan: 'default', kind: 'isolated', sandbox: { contextMode: 'shared' }, burst: false },
  'node-vm': { name: 'bench, node:vm (unsafe)', dialplan: 'bench', kind: 'unsafe', sandbox: {}, burst: false },
};

interface Figures {
  path: { p50: number; p99: number };
  prep: number;
  wallP50: number;
  burst: Burst | null;
  heapPerCallKiB: number | null;
  rssPerCallKiB: number;
  opCpuUs: number;
  loop: { wallUs: number; cpuUs: number } | null;
  kills: number;
}

async function measure(dp: CompiledDialplan, m: Mode): Promise<Figures> {
  // Errors (a kill, and why) are printed: a failed burst is a finding, not noise.
  const log = (level: string, msg: string) => void (level === 'error' && process.stderr.write(`${m.name}: ${msg}\n`));
  const sb = createSandbox(dp, { maxConcurrentCalls: CALLS, cpuLimitMs: 500, log, ...m.sandbox }, m.kind);
  const host = new BenchHost();
  try {
    // Warm-up: compile the script in the isolate, JIT the bridge, fill the spares.
    const warm = await sequentialSetup(sb, host, 20, -100, '1000');
    host.releaseAll();
    await Promise.all(warm.runs);
    await sb.warm();
    global.gc?.();
    const heap0 = (await sb.heapUsed()) ?? 0;
    const rss0 = process.memoryUsage().rss;

    // 1. CALLS calls set up one after another, all left live: each call's CPU is attributable.
    const setup = await sequentialSetup(sb, host, CALLS, 0, '1000');
    const heap = await sb.heapUsed();
    const rss = process.memoryUsage().rss;

    // 2. Release them all: every call makes its remaining round trips and ends.
    const ops0 = host.ops;
    const c1 = process.cpuUsage();
    host.releaseAll();
    const outcomes = await Promise.all(setup.runs);
    const opCpu = cpuMs(c1);
    const bad = outcomes.find((o) => o.result !== 'ok');
    if (bad) throw new Error(`a call failed: ${JSON.stringify(bad)}`);

    // 3. CALLS calls at once.
    const b = m.burst ? await burst(sb, host, CALLS, CALLS, '1000') : null;

    // 4. One call alone making LOOP_OPS ops back to back: the bare round trip.
    let loop: Figures['loop'] = null;
    if (m.dialplan === 'bench') {
      const c3 = process.cpuUsage();
      const w3 = performance.now();
      const r = await sb.run(callInfo(3 * CALLS, 'loop'), host);
      if (r.result !== 'ok') throw new Error(`loop call failed: ${JSON.stringify(r)}`);
      loop = { wallUs: ((performance.now() - w3) * 1000) / LOOP_OPS, cpuUs: (cpuMs(c3) * 1000) / LOOP_OPS };
    }
    return {
      path: { p50: pct(setup.pathCpu, 50), p99: pct(setup.pathCpu, 99) },
      prep: pct(setup.prepCpu, 50),
      wallP50: pct(setup.wall, 50),
      burst: b,
      heapPerCallKiB: heap === null ? null : (heap - heap0) / CALLS / 1024,
      rssPerCallKiB: (rss - rss0) / CALLS / 1024,
      opCpuUs: (opCpu * 1000) / (host.ops - ops0),
      loop,
      kills: sb.stats().kills,
    };
  } finally {
    await sb.dispose();
  }
}

/** The bare isolated-vm primitive under the op channel: µs per one-way request plus one-way reply. */
async function rawRoundTripUs(n: number): Promise<number> {
  const iso = new ivm.Isolate({ memoryLimit: 32 });
  try {
    const ctx = await iso.createContext();
    let back: ivm.Reference<(seq: number, r: unknown) => void> | null = null;
    await ctx.global.set('host', new ivm.Callback((seq: number) => void back?.applyIgnored(undefined, [seq, { ok: true, value: null, t: 0 }], { arguments: { copy: true } }), { ignored: true }));
    const script = await iso.compileScript(`(() => { const pending = new Map(); let seq = 0;
      const back = (s, r) => { const f = pending.get(s); pending.delete(s); f(r); };
      const loop = async (n) => { for (let i = 0; i < n; i++) await new Promise((res) => { const s = ++seq; pending.set(s, res); host(s, 'id', 'sleep', { seconds: 0 }); }); };
      return (a, b) => typeof a === 'number' && b !== undefined ? back(a, b) : loop(a); })()`);
    const entry = (await script.run(ctx, { reference: true })) as ivm.Reference<(a: number, b?: unknown) => Promise<void>>;
    back = entry as unknown as ivm.Reference<(seq: number, r: unknown) => void>;
    await entry.apply(undefined, [200], { result: { promise: true } });
    const t = performance.now();
    await entry.apply(undefined, [n], { result: { promise: true } });
    return ((performance.now() - t) * 1000) / n;
  } finally {
    iso.dispose();
  }
}

async function compile(which: 'bench' | 'default', dir: string): Promise<CompiledDialplan> {
  const file = which === 'bench' ? join(dir, 'bench.ts') : DEFAULT_DIALPLAN;
  // The bench measures running, not checking: type-checking is the compile bench's business.
  const r = await compileDialplan(file, { typecheck: false });
  if (!r.ok) throw new Error(r.message);
  return r.dialplan;
}

function row(name: string, r: Figures): string {
  const f = (n: number, d = 2) => n.toFixed(d);
  const b = r.burst ? `${f(r.burst.cpuPerCall).padStart(5)} ms ${f(r.burst.wallMs, 0).padStart(6)} ms${r.burst.failed ? ` ${r.burst.failed} failed` : ''}` : '       n/a        ';
  const loop = r.loop ? `${f(r.loop.wallUs, 0).padStart(4)} / ${f(r.loop.cpuUs, 0).padEnd(4)}` : '    n/a    ';
  return (
    `${name.padEnd(36)} ${f(r.path.p50).padStart(5)} / ${f(r.path.p99).padEnd(6)} ${f(r.prep).padStart(6)}   ${f(r.path.p50 + r.prep).padStart(5)}` +
    `  ${f(r.wallP50).padStart(6)}  ${b}  ${r.heapPerCallKiB === null ? '   n/a ' : `${f(r.heapPerCallKiB, 0).padStart(3)} KiB`} ${f(r.rssPerCallKiB, 0).padStart(4)} KiB` +
    `  ${f(r.opCpuUs, 0).padStart(4)} µs   ${loop} µs  ${r.kills}`
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pbx-dialplan-bench-'));
  try {
    writeFileSync(join(dir, 'bench.ts'), SOURCE);
    const compiled = { bench: await compile('bench', dir), default: await compile('default', dir) };
    console.log(`dialplan bench: ${CALLS} concurrent calls; bundles: bench ${(compiled.bench.code.length / 1024).toFixed(1)} KiB, default ${(compiled.default.code.length / 1024).toFixed(1)} KiB`);
    const rows: [string, Figures][] = [];
    for (const key of MODES) {
      const m = ALL[key];
      if (!m) throw new Error(`unknown mode '${key}' (one of ${Object.keys(ALL).join(', ')})`);
      rows.push([m.name, await measure(compiled[m.dialplan], m)]);
    }
    console.log(
      '\n                                     setup CPU (ms)               total  setup    burst of calls     memory per live   op round trip    kills' +
        '\nmode                                 path p50/p99  ahead p50   /call  wall p50  CPU/call  wall    heap      RSS  in flight  1 call wall/CPU',
    );
    for (const [name, r] of rows) console.log(row(name, r));
    const by = new Map(rows);
    const frozen = by.get(ALL['frozen']!.name);
    const spares = by.get(ALL['spares']!.name);
    const onDemand = by.get(ALL['on-demand']!.name);
    const shared = by.get(ALL['shared']!.name);
    const total = (r: Figures) => r.path.p50 + r.prep;
    const vs = (a: string, x: Figures, b: string, y: Figures) =>
      console.log(`setup CPU per call (path + ahead), p50: ${a} ${total(x).toFixed(2)} ms vs ${b} ${total(y).toFixed(2)} ms = ${(total(x) / total(y)).toFixed(2)}x`);
    console.log('');
    if (frozen && spares) vs('frozen', frozen, 'context per call', spares);
    if (frozen && shared) vs('frozen', frozen, 'shared', shared);
    if (spares && onDemand) vs('spares', spares, 'on demand', onDemand);
    const raw = await rawRoundTripUs(LOOP_OPS);
    const one = frozen ?? spares ?? shared;
    if (one?.loop) console.log(`op round trip, one call: ${one.loop.wallUs.toFixed(0)} µs vs ${raw.toFixed(0)} µs for the bare isolated-vm primitive (one-way request + one-way reply) = ${(one.loop.wallUs / raw).toFixed(1)}x`);
    console.log(
      `path = run() until the call is parked in dial (entry, answer + dial ops; the module instance; in per-call mode with no spare ready also the context).\n` +
        `ahead = CPU refilling the spare contexts after each call (sb.warm(), a quiet moment); total = path + ahead.\n` +
        `burst = ${CALLS} calls started at once until all are parked (the spares are used up at once: mostly on-demand contexts).\n` +
        `memory = heap and RSS growth over ${CALLS} live calls. in flight = process CPU per op while ${CALLS} calls finish (teardown and GC included).\n` +
        `1 call = one call making ${LOOP_OPS} ops back to back: wall and process CPU per round trip.`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
