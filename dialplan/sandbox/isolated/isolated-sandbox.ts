// One isolate per dialplan version, created on first use and again after a kill, so a runaway or
// an out-of-memory dialplan costs the calls in flight on it (each gets the fallback) and nothing
// else. In it, by contextMode:
//   frozen    one context whose built-ins are frozen; each call gets its own instance of the
//             dialplan's modules (its own module state, clock, random numbers and console)
//   per-call  a fresh context per call
//   shared    one context and one instance for every call
//
// Per-call contexts come from a small pool of spares made ahead of time (spare-pool.ts) when one
// is ready, otherwise the call makes its own. A spare is loaded ahead too unless the dialplan's
// module code reads the clock or Math.random while loading (the runtime tells: 'stale'); then the
// spares are made without the bundle, which each call loads with its own boot values as before.
import ivm from 'isolated-vm';
import type { CompiledDialplan } from '../../compiler/compile.ts';
import type { CallHost } from '../../host/call-host.ts';
import { seedFromId, type CallInfo } from '../../host/call-info.ts';
import { REPORT_OP, SPAWN_FAILED_OP, STALE, type SpawnFailure, type StartMode } from '../../runtime/report.ts';
import { errorText } from '../../util/log.ts';
import { admit, bridgeOp, newCallState } from '../bridge.ts';
import { memoryLimitMb, type Sandbox, type SandboxOptions } from '../sandbox.ts';
import type { CallOutcome, RunResult } from '../outcome.ts';
import { fromReport, isReport, outcome, syncTimeout } from '../outcomes.ts';
import { releaseMade, type Box, type FrozenRealm, type Live, type Made, type Slot } from './box.ts';
import { forgetInstance, loadBundle, makeContext, makeFrozenRealm, spawnInstance } from './contexts.ts';
import { frozenRealm, instanceInContext, realmForContext } from '../sandbox-scripts.ts';
import { SparePool } from './spare-pool.ts';
import { createWatchdog } from './watchdog.ts';

export function createIsolatedSandbox(dp: CompiledDialplan, o: SandboxOptions): Sandbox {
  return new IsolatedSandbox(dp, o);
}

class IsolatedSandbox implements Sandbox {
  #box: Box | null = null;
  #disposed = false;
  #kills = 0;
  /** Load the bundle into spares ahead of their calls (off once the module code proves stale). */
  #loadAhead = true;
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
    return new Promise<CallOutcome>((resolve) => {
      const live: Live = {
        state,
        handles: [],
        finish: (r) => {
          if (state.finished) return;
          state.finished = true;
          box.calls.delete(info.id);
          if (!box.isolate.isDisposed) {
            for (const h of live.handles) h.release();
            live.forget?.();
          }
          this.#activity(box);
          this.#inflight--;
          resolve(outcome(this.dialplan, state, r));
          if (this.#inflight === 0) for (const f of [...this.#idle]) f();
        },
      };
      box.calls.set(info.id, live);
      this.#activity(box);
      // The run's report arrives on the op channel (#onOp); this settles when the entry returns.
      this.#track(this.#start(box, live).catch((err: unknown) => live.finish(this.#failure(box, err))));
    });
  }

  async #start(box: Box, live: Live): Promise<void> {
    if (this.o.contextMode === 'frozen') {
      const realm = await this.#frozenRealm(box);
      this.#checkStillRunning(live, null);
      live.forget = () => forgetInstance(realm, live.state.info.id);
      spawnInstance(realm, live.state.info, this.o.cpuLimitMs);
      return;
    }
    if (this.o.contextMode === 'shared') {
      const made = await (box.shared ??= this.#sharedContext(box, live.state.info.startedAt));
      await this.#enter(box, made, live, 'shared');
      return;
    }
    const spare = box.spares.take();
    if (spare) {
      this.#adopt(spare, live);
      if (spare.slot.entry) {
        if ((await this.#enter(box, spare, live, 'premade')) !== STALE) return;
        // No dialplan code ran for this call; it gets a context made for it, as without spares.
        this.#loadAhead = false;
        box.spares.drop();
        releaseMade(spare);
        live.handles = [];
      } else {
        await this.#load(box, spare, live);
        await this.#enter(box, spare, live, 'fresh');
        return;
      }
    }
    box.making++;
    let made: Made;
    try {
      made = await makeContext(box, { shared: false, live, entry: null }, this.#onOp);
      this.#adopt(made, live);
      await this.#load(box, made, live);
    } finally {
      box.making--;
    }
    await this.#enter(box, made, live, 'fresh');
  }

  /**
   * Calls the context's entry for this call and has the pool refill shortly. Resolves when the
   * dialplan first awaits (or with 'stale'); rejects when that first stretch failed or ran too long.
   */
  #enter(box: Box, made: Made, live: Live, mode: StartMode): Promise<unknown> {
    const run = made.slot.entry!.apply(undefined, [live.state.info, mode], { arguments: { copy: true }, timeout: this.o.cpuLimitMs });
    box.spares.fillSoon();
    return run.finally(() => box.watchdog.progress());
  }

  /** The call holds the context from now on (its handles are freed when it finishes). */
  #adopt(made: Made, live: Live): void {
    this.#checkStillRunning(live, made);
    made.slot.live = live;
    live.handles.push(made.ctx);
    if (made.slot.entry) live.handles.push(made.slot.entry);
  }

  /** Loads the bundle with this call's boot values, into a context the call already holds. */
  async #load(box: Box, made: Made, live: Live): Promise<void> {
    await loadBundle(box, made, { seed: live.state.info.seed ?? 0, now: live.state.info.startedAt }, this.o.cpuLimitMs);
    this.#checkStillRunning(live, made);
    if (made.slot.entry) live.handles.push(made.slot.entry);
  }

  /** Ended (or killed) while its context was being made: finish has already freed what it held. */
  #checkStillRunning(live: Live, made: Made | null): void {
    if (!live.state.finished) return;
    if (made) releaseMade(made);
    throw new Error('the call ended before it started');
  }

  #frozenRealm(box: Box): Promise<FrozenRealm> {
    if (!box.frozen) {
      box.frozen = makeFrozenRealm(box, this.#onOp, this.o.cpuLimitMs);
      box.frozen.catch(() => undefined); // each call reports it
    }
    return box.frozen;
  }

  async #sharedContext(box: Box, now: number): Promise<Made> {
    const made = await makeContext(box, { shared: true, live: null, entry: null }, this.#onOp);
    await loadBundle(box, made, { seed: seedFromId(this.dialplan.version), now }, this.o.cpuLimitMs);
    return made;
  }

  /** A spare for the pool: made now, loaded now unless the dialplan's module code forbids it. */
  async #spare(box: Box): Promise<Made> {
    const made = await makeContext(box, { shared: false, live: null, entry: null }, this.#onOp);
    if (!this.#loadAhead) return made;
    try {
      // Placeholder boot values: 'premade' restarts the clock and the generator from the call's.
      await loadBundle(box, made, { seed: 0, now: Date.now() }, this.o.cpuLimitMs);
    } catch (err) {
      releaseMade(made);
      throw err;
    }
    return made;
  }

  readonly #onOp = (box: Box, slot: Slot, callId: unknown, op: unknown, args: unknown): Promise<unknown> | null => {
    if (callId === '*' && op === 'log') {
      this.o.log('info', `dialplan '${this.dialplan.name}': ${String((args as { msg?: unknown } | null)?.msg)}`);
      return null;
    }
    const live = slot.shared ? (typeof callId === 'string' ? box.calls.get(callId) : undefined) : slot.live;
    if (op === SPAWN_FAILED_OP) {
      box.watchdog.progress();
      const f = args as SpawnFailure;
      if (live && live.state.info.id === callId) {
        live.forget = undefined;
        live.finish(f.timedOut ? syncTimeout(this.dialplan, this.o.cpuLimitMs) : { result: 'error', message: `dialplan '${this.dialplan.name}' could not run: ${String(f.message)}` });
      }
      return null;
    }
    if (op === REPORT_OP) {
      box.watchdog.progress();
      if (live && live.state.info.id === callId) {
        live.forget = undefined; // the instance's route went with its report
        live.finish(isReport(args) ? fromReport(this.dialplan, args) : { result: 'error', message: 'the dialplan runtime returned no report' });
      }
      return null;
    }
    if (!live || live.state.info.id !== callId) return Promise.resolve({ ok: false, error: { code: 'ended', message: `no call ${String(callId)} here` } });
    if (admit(live.state, this.o.maxOpsPerCall)) box.watchdog.progress();
    return bridgeOp(live.state, op, args, this.o.maxOpsPerCall);
  };

  #newBox(): Box {
    const isolate = new ivm.Isolate({
      memoryLimit: memoryLimitMb(this.o),
      onCatastrophicError: (msg) => this.o.log('error', `dialplan '${this.dialplan.name}': isolate failure: ${msg}`),
    });
    const frozen = this.o.contextMode === 'frozen';
    const dp = this.dialplan;
    const box: Box = {
      isolate,
      script: isolate.compileScript(frozen ? dp.code : instanceInContext(dp), { filename: dp.filename }),
      realm: isolate.compileScript(frozen ? frozenRealm(dp) : realmForContext(dp), { filename: 'pbx-realm.js' }),
      frozen: null,
      watchdog: createWatchdog(isolate, {
        pollMs: this.o.watchdogPollMs,
        limitMs: this.o.cpuLimitMs * 1.5, // above the sync timeout, so a sync loop costs one call only
        onRunaway: (ms) => this.#kill(box, { result: 'timedOut', message: this.#killText(`used ${Math.round(ms)} ms of CPU without reaching an await point (CPU watchdog)`) }),
        onDisposed: () => this.#kill(box, this.#memoryKill()),
      }),
      calls: new Map(),
      killed: null,
      shared: null,
      making: 0,
      spares: new SparePool({
        target: this.o.contextMode === 'per-call' ? this.o.spareContexts : 0,
        delayMs: this.o.spareDelayMs,
        make: () => this.#spare(box),
        busy: () => box.making > 0,
        failed: (err) => this.#spareFailed(box, err),
        activity: () => this.#activity(box),
        track: (p) => this.#track(p),
      }),
    };
    box.script.catch(() => undefined); // reported through #start
    box.realm.catch(() => undefined);
    return box;
  }

  /** The watchdog polls while the isolate has work: calls in flight or a spare being prepared. */
  #activity(box: Box): void {
    box.watchdog.setActive(box.calls.size > 0 || box.spares.preparing);
  }

  #spareFailed(box: Box, err: unknown): void {
    if (box.killed) return;
    const msg = errorText(err);
    if (box.isolate.isDisposed || /memory limit/i.test(msg)) this.#kill(box, this.#memoryKill());
    // Otherwise the bundle threw or ran too long while loading: each call loads it itself from
    // now on and gets the outcome it always got (the pool has stopped for this isolate).
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
    box.spares.stop();
    void box.frozen?.then(
      (realm) => realm.checkTimer && clearTimeout(realm.checkTimer),
      () => undefined,
    );
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

  async warm(): Promise<void> {
    if (this.#disposed) return;
    const box = (this.#box ??= this.#newBox());
    // The shared context is still made by the first call: its clock starts at that call.
    const ready = this.o.contextMode === 'frozen' ? this.#frozenRealm(box) : box.script;
    await ready.then(
      () => undefined,
      () => undefined, // the first call reports it
    );
    box.spares.fill();
    await box.spares.settled();
  }

  end(callId: string, message: string): boolean {
    const live = this.#box?.calls.get(callId);
    if (!live) return false;
    live.finish({ result: 'disposed', message });
    return true;
  }

  stats() {
    const box = this.#box;
    return { calls: this.#inflight, kills: this.#kills, isolateAlive: box !== null && !box.isolate.isDisposed, spares: box?.spares.size ?? 0 };
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
