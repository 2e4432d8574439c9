// `simulate(dialplan, scenario)`: the production sandbox (isolated-vm, same bundle, same bridge)
// against the fake PBX, returning what happened. For several calls at once, or a clock the test
// drives, use `sim(async ({ start, advance }) => …)`.
import { compileDialplan, type CompileOptions, type CompiledDialplan } from '../compiler/compile.ts';
import type { CallInfo } from '../host/call-info.ts';
import { createSandbox, type CallOutcome, type Sandbox, type SandboxOptions } from '../sandbox/index.ts';
import { DEFAULT_FALLBACK, runCall, type FallbackPolicy } from '../service/run-call.ts';
import { FakePbx, type FakePbxOptions } from './fake-pbx.ts';
import type { Scenario } from './scenario.ts';
import type { SimCallState, SimEnd, TraceEntry } from './sim-call.ts';
import { compileCached } from './compile-cache.ts';

export interface SimResult {
  outcome: CallOutcome;
  /** How the call ended at the PBX (null if it had not ended when the run finished). */
  end: SimEnd | null;
  /** Op names in order, without log and setVar. */
  ops: string[];
  trace: TraceEntry[];
  /** Log lines as `msg {data}`. */
  logs: string[];
  vars: Record<string, string>;
  /** Virtual seconds from the start to the last op. */
  elapsed: number;
}

export interface SimulateOptions {
  /** Type-check before running (default true; the result is cached per file version). */
  typecheck?: boolean;
  root?: string;
  sandbox?: Partial<SandboxOptions>;
  fallback?: FallbackPolicy;
  config?: FakePbxOptions['config'];
}

export type DialplanSource = string | CompiledDialplan;

async function load(src: DialplanSource, o: CompileOptions): Promise<CompiledDialplan> {
  return typeof src === 'string' ? compileCached(src, o) : src;
}

export async function simulate(dialplan: DialplanSource, scenario: Scenario, o: SimulateOptions = {}): Promise<SimResult> {
  const compiled = await load(dialplan, { ...(o.root !== undefined && { root: o.root }), typecheck: o.typecheck !== false });
  const logs: string[] = [];
  const sandbox = createSandbox(compiled, { log: (_l, m) => void logs.push(m), ...o.sandbox });
  const pbx = new FakePbx({ clock: 'auto', ...(o.config && { config: o.config }) });
  try {
    return await simulateOn(sandbox, scenario, pbx, o.fallback ?? DEFAULT_FALLBACK);
  } finally {
    await sandbox.dispose();
  }
}

/** One call on a sandbox you manage yourself (to check what the next call sees after a kill, say). */
export async function simulateOn(sandbox: Sandbox, scenario: Scenario, pbx = new FakePbx(), fallback = DEFAULT_FALLBACK): Promise<SimResult> {
  const info = pbx.addCall(scenario);
  const outcome = await runCall(sandbox, info, pbx, fallback);
  pbx.finish(info.id);
  return result(pbx.call(info.id), outcome);
}

export function result(c: SimCallState, outcome: CallOutcome): SimResult {
  const ops = c.trace.map((t) => t.op).filter((op) => op !== 'fallback');
  return {
    outcome,
    end: c.end,
    ops,
    trace: c.trace,
    logs: c.logs.map((l) => (l.data === null || l.data === undefined ? l.msg : `${l.msg} ${JSON.stringify(l.data)}`)),
    vars: { ...c.vars },
    elapsed: (c.now - c.start) / 1000,
  };
}

export interface SimCall {
  readonly info: CallInfo;
  readonly result: Promise<SimResult>;
}

export interface Sim {
  readonly pbx: FakePbx;
  /** Compile (cached) and load a dialplan; unloaded when the sim ends. */
  load(dialplan: DialplanSource, o?: SimulateOptions): Promise<Sandbox>;
  /** Start a call on a sandbox, or through any runner (e.g. a DialplanService). */
  start(target: Sandbox | ((info: CallInfo) => Promise<CallOutcome>), scenario: Scenario): SimCall;
  advance(seconds: number): Promise<void>;
}

/** Runs `fn` with a fake PBX (manual clock by default) and unloads everything afterwards. */
export async function sim<T>(fn: (s: Sim) => Promise<T>, o: FakePbxOptions = {}): Promise<T> {
  const pbx = new FakePbx({ clock: 'manual', ...o });
  const sandboxes: Sandbox[] = [];
  const s: Sim = {
    pbx,
    async load(dialplan, so = {}) {
      const compiled = await load(dialplan, { typecheck: so.typecheck !== false, ...(so.root !== undefined && { root: so.root }) });
      const sb = createSandbox(compiled, { log: () => undefined, ...so.sandbox });
      sandboxes.push(sb);
      return sb;
    },
    start(target, scenario) {
      const info = pbx.addCall(scenario);
      const run = typeof target === 'function' ? target(info) : runCall(target, info, pbx);
      return { info, result: run.then((out) => (pbx.finish(info.id), result(pbx.call(info.id), out))) };
    },
    advance: (seconds) => pbx.advance(seconds),
  };
  try {
    return await fn(s);
  } finally {
    await Promise.allSettled(sandboxes.map((sb) => sb.dispose()));
  }
}
