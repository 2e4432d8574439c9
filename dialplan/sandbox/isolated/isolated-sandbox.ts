// One isolate per dialplan version; a fresh context per call (or one shared context). The isolate
// is created on first use and again after a kill, so a runaway or an out-of-memory dialplan costs
// the calls in flight on it (each gets the fallback) and nothing else.
import ivm from 'isolated-vm';
import type { CompiledDialplan } from '../../compiler/compile.ts';
import type { CallHost } from '../../host/call-host.ts';
import { seedFromId, type CallInfo } from '../../host/call-info.ts';
import type { BootEnv } from '../../runtime/channel.ts';
import { errorText } from '../../util/log.ts';
import { admit, bridgeOp, newCallState, type CallState } from '../bridge.ts';
import { memoryLimitMb, type Sandbox, type SandboxOptions } from '../sandbox.ts';
import type { CallOutcome, RunResult } from '../outcome.ts';
import { fromReport, isReport, outcome, syncTimeout } from '../outcomes.ts';
import { createWatchdog, type Watchdog } from './watchdog.ts';

type StartRef = ivm.Reference<(info: CallInfo, perCall: boolean) => Promise<unknown>>;
interface Live {
  state: CallState;
  /** Handles to free when the call ends (context, channel, start function), so a busy isolate
   *  does not wait for the garbage collector to drop 1000 calls' worth of them. */
  handles: { release(): void }[];
  finish(r: RunResult): void;
}
interface Box {
  isolate: ivm.Isolate;
  script: Promise<ivm.Script>;
  watchdog: Watchdog;
  calls: Map<string, Live>;
  killed: RunResult | null;
  shared: Promise<StartRef> | null;
}

export function createIsolatedSandbox(dp: CompiledDialplan, o: SandboxOptions): Sandbox {
  return new IsolatedSandbox(dp, o);
}

class IsolatedSandbox implements Sandbox {
  #box: Box | null = null;
  #disposed = false;
  #kills = 0;
  readonly #work = new Set<Promise<unknown>>();
  readonly #idle = new Set<() => void>();
  #inflight = 0;

  constructor(
    readonly dialplan: CompiledDialplan,
    private readonly o: SandboxOptions,
  ) {}

  get inflight(): number {
    return this.#inflight;
  }

  run(info: CallInfo, host: CallHost): Promise<CallOutcome> {
    const state = newCallState({ ...info, seed: info.seed ?? seedFromId(info.id) }, host);
    const refuse = (r: RunResult) => Promise.resolve(outcome(this.dialplan, state, r));
    if (this.#disposed) return refuse({ result: 'disposed', message: `dialplan '${this.dialplan.name}' version ${this.dialplan.version} is retired` });
    if (this.#inflight >= this.o.maxConcurrentCalls) {
      return refuse({ result: 'error', message: `dialplan '${this.dialplan.name}' is at its limit of ${this.o.maxConcurrentCalls} concurrent calls` });
    }
    const box = (this.#box ??= this.#newBox());
    if (box.calls.has(info.id)) return refuse({ result: 'error', message: `call ${info.id} is already running` });
    this.#inflight++;
    box.watchdog.setActive(true);
    return new Promise<CallOutcome>((resolve) => {
      const live: Live = {
        state,
        handles: [],
        finish: (r) => {
          if (state.finished) return;
          state.finished = true;
          box.calls.delete(info.id);
          if (!box.isolate.isDisposed) for (const h of live.handles) h.release();
          if (box.calls.size === 0) box.watchdog.setActive(false);
          this.#inflight--;
          resolve(outcome(this.dialplan, state, r));
          if (this.#inflight === 0) for (const f of [...this.#idle]) f();
        },
      };
      box.calls.set(info.id, live);
      this.#track(
        this.#start(box, live).then(
          (report) => live.finish(isReport(report) ? fromReport(this.dialplan, report) : { result: 'error', message: 'the dialplan runtime returned no report' }),
          (err: unknown) => live.finish(this.#failure(box, err)),
        ),
      );
    });
  }

  async #start(box: Box, live: Live): Promise<unknown> {
    const entry = { arguments: { copy: true }, result: { promise: true, copy: true }, timeout: this.o.cpuLimitMs } as const;
    if (this.o.contextMode === 'shared') {
      box.shared ??= this.#context(box, null, { seed: seedFromId(this.dialplan.version), now: live.state.info.startedAt });
      const start = await box.shared;
      return start.apply(undefined, [live.state.info, false], entry).finally(() => box.watchdog.progress());
    }
    const start = await this.#context(box, live, { seed: live.state.info.seed ?? 0, now: live.state.info.startedAt });
    if (live.state.finished) {
      start.release(); // ended (or killed) while its context was being made
      throw new Error('the call ended before it started');
    }
    live.handles.push(start);
    return start.apply(undefined, [live.state.info, true], entry).finally(() => box.watchdog.progress());
  }

  /** A context with the channel and the bundle loaded; `live` is null for the shared context. */
  async #context(box: Box, live: Live | null, env: BootEnv): Promise<StartRef> {
    // Every completed isolate task is progress for the watchdog: with a burst of calls the isolate
    // works through hundreds of context creations before the first entry finishes.
    const script = await box.script;
    const ctx = await box.isolate.createContext();
    box.watchdog.progress();
    const channel = new ivm.Reference((callId: unknown, op: unknown, args: unknown) => this.#onOp(box, live, callId, op, args));
    if (live) {
      if (live.state.finished) {
        ctx.release();
        throw new Error('the call ended before its context was ready');
      }
      live.handles.push(ctx, channel);
    }
    await ctx.global.set('__pbxHost', channel);
    await ctx.global.set('__pbxEnv', new ivm.ExternalCopy(env).copyInto({ release: true }));
    box.watchdog.progress();
    const start = (await script.run(ctx, { reference: true, timeout: this.o.cpuLimitMs })) as StartRef;
    box.watchdog.progress();
    return start;
  }

  #onOp(box: Box, bound: Live | null, callId: unknown, op: unknown, args: unknown): Promise<unknown> | null {
    if (callId === '*' && op === 'log') {
      this.o.log('info', `dialplan '${this.dialplan.name}': ${String((args as { msg?: unknown } | null)?.msg)}`);
      return null;
    }
    const live = bound ?? (typeof callId === 'string' ? box.calls.get(callId) : undefined);
    if (!live || live.state.info.id !== callId) return Promise.resolve({ ok: false, error: { code: 'ended', message: `no call ${String(callId)} here` } });
    if (admit(live.state, this.o.maxOpsPerCall)) box.watchdog.progress();
    return bridgeOp(live.state, op, args, this.o.maxOpsPerCall);
  }

  #newBox(): Box {
    const isolate = new ivm.Isolate({
      memoryLimit: memoryLimitMb(this.o),
      onCatastrophicError: (msg) => this.o.log('error', `dialplan '${this.dialplan.name}': isolate failure: ${msg}`),
    });
    const box: Box = {
      isolate,
      script: isolate.compileScript(this.dialplan.code, { filename: this.dialplan.filename }),
      watchdog: createWatchdog(isolate, {
        pollMs: this.o.watchdogPollMs,
        limitMs: this.o.cpuLimitMs * 1.5, // above the sync timeout, so a sync loop costs one call only
        onRunaway: (ms) => this.#kill(box, { result: 'timedOut', message: this.#killText(`used ${Math.round(ms)} ms of CPU without reaching an await point (CPU watchdog)`) }),
        onDisposed: () => this.#kill(box, this.#memoryKill()),
      }),
      calls: new Map(),
      killed: null,
      shared: null,
    };
    box.script.catch(() => undefined); // reported through #start
    return box;
  }

  #killText(why: string): string {
    return `dialplan '${this.dialplan.name}' ${why}; its isolate was killed and the calls on it got the fallback`;
  }
  #memoryKill(): RunResult {
    return { result: 'disposed', message: this.#killText(`exceeded its memory limit of ${memoryLimitMb(this.o)} MB`) };
  }

  #kill(box: Box, r: RunResult): void {
    if (box.killed) return;
    box.killed = r;
    box.watchdog.stop();
    if (this.#box === box) this.#box = null;
    if (!box.isolate.isDisposed) box.isolate.dispose();
    if (r.result !== 'disposed' || !this.#disposed) {
      this.#kills++;
      this.o.log('error', `${'message' in r ? r.message : 'killed'} (${box.calls.size} call(s) in flight)`);
    }
    for (const live of [...box.calls.values()]) live.finish(r);
  }

  #failure(box: Box, err: unknown): RunResult {
    if (box.killed) return box.killed;
    const msg = errorText(err);
    if (box.isolate.isDisposed || /memory limit/i.test(msg)) {
      this.#kill(box, this.#memoryKill());
      return box.killed ?? this.#memoryKill();
    }
    if (/execution timed out/i.test(msg)) return syncTimeout(this.dialplan, this.o.cpuLimitMs);
    return { result: 'error', message: `dialplan '${this.dialplan.name}' could not run: ${msg}` };
  }

  #track(p: Promise<unknown>): void {
    this.#work.add(p);
    void p.finally(() => this.#work.delete(p));
  }

  idle(): Promise<void> {
    if (this.#inflight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const f = (): void => {
        this.#idle.delete(f);
        resolve();
      };
      this.#idle.add(f);
    });
  }

  end(callId: string, message: string): boolean {
    const live = this.#box?.calls.get(callId);
    if (!live) return false;
    live.finish({ result: 'disposed', message });
    return true;
  }

  stats() {
    return { calls: this.#inflight, kills: this.#kills, isolateAlive: this.#box !== null && !this.#box.isolate.isDisposed };
  }

  async heapUsed(): Promise<number | null> {
    const box = this.#box;
    if (!box || box.isolate.isDisposed) return null;
    const h = await box.isolate.getHeapStatistics();
    return h.used_heap_size + h.externally_allocated_size;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    const box = this.#box;
    if (box) this.#kill(box, { result: 'disposed', message: `dialplan '${this.dialplan.name}' was unloaded while the call was running` });
    // Exiting while isolate work is in flight can crash Node: wait for every entry to settle.
    await Promise.allSettled([...this.#work]);
  }
}
