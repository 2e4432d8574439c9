// Sandbox limits and the Sandbox contract (kept apart from the factory in index.ts, which imports
// both implementations, so the implementations can import this without a cycle).
import type { CompiledDialplan } from '../compiler/compile.ts';
import type { CallHost } from '../host/call-host.ts';
import type { CallInfo } from '../host/call-info.ts';
import { stderrLog, type DialplanLog } from '../util/log.ts';
import type { CallOutcome } from './outcome.ts';

export type ContextMode = 'frozen' | 'per-call' | 'shared';

export interface SandboxOptions {
  /** Calls in flight per version; beyond it calls are refused (and get the fallback). */
  maxConcurrentCalls: number;
  /**
   * Isolate heap limit; default 16 MB + 0.5 MB per concurrent call. A per-call context is ~200 KiB
   * and an ended call's stays in the heap until the next full collection: with less headroom a
   * burst of calls after a burst of hangups drives V8 into emergency full collections that stall
   * the isolate for most of a second at 1,000 calls (and the CPU watchdog takes that for a runaway).
   */
  memoryLimitMb?: number;
  /** CPU a dialplan may use without reaching an await point (sync timeout and watchdog). */
  cpuLimitMs: number;
  watchdogPollMs: number;
  /**
   * 'frozen' (default): one context per version with its built-ins and global object frozen; each
   * call gets a fresh instance of the dialplan's modules, with its own clock, random numbers and
   * console. 'per-call': a fresh V8 context per call, in which a call may even change built-ins
   * (about 1.5 ms of CPU and 170 KiB per call more). 'shared': one context and one module instance
   * for all calls: module-level state is shared between calls.
   */
  contextMode: ContextMode;
  /** Per-call mode: contexts made (and loaded) ahead of calls, in quiet moments, so a call's setup
   *  is mostly its entry and first ops. Each still serves one call; 0 makes every context on demand. */
  spareContexts: number;
  /** How long after a call starts the spares are refilled (its first ops go first). */
  spareDelayMs: number;
  /** Ops per call before further ones are refused (stops op-spamming loops the watchdog counts as progress). */
  maxOpsPerCall: number;
  log: DialplanLog;
}

export const DEFAULT_SANDBOX_OPTIONS: SandboxOptions = {
  maxConcurrentCalls: 200,
  cpuLimitMs: 500,
  watchdogPollMs: 20,
  contextMode: 'frozen',
  spareContexts: 2,
  spareDelayMs: 5,
  maxOpsPerCall: 10_000,
  log: stderrLog,
};

export function memoryLimitMb(o: SandboxOptions): number {
  return o.memoryLimitMb ?? 16 + Math.ceil(o.maxConcurrentCalls * 0.5);
}

export interface SandboxStats {
  calls: number;
  kills: number;
  isolateAlive: boolean;
  /** Spare contexts ready for the next calls. */
  spares: number;
}

export interface Sandbox {
  readonly dialplan: CompiledDialplan;
  /** Never rejects. The call counts as in flight from the moment this is called. */
  run(call: CallInfo, host: CallHost): Promise<CallOutcome>;
  readonly inflight: number;
  /** Resolves once no call is in flight. */
  idle(): Promise<void>;
  stats(): SandboxStats;
  /**
   * Ends a call's run from the host side (the call was torn down, or its dialplan awaits a promise
   * that nothing can resolve: the sandbox has no timers, so only an op reply could). The run
   * resolves as 'disposed' with `message`; false if the call is not running here.
   */
  end(callId: string, message: string): boolean;
  /** Makes the isolate and fills the spare contexts now (at activation, or in a benchmark between
   *  calls); resolves when nothing is being prepared. Calls do not need it. */
  warm(): Promise<void>;
  /** Heap in use by the isolate, if one is alive (for benchmarks and status). */
  heapUsed(): Promise<number | null>;
  /** Ends calls still in flight ('disposed') and frees the isolate; waits for its work to settle. */
  dispose(): Promise<void>;
}

