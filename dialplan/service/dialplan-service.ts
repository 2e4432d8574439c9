// The dialplan runtime as the PBX uses it: a folder of dialplans, each compiled, type-checked and
// activated (or refused, keeping the old version); a watcher that does it again on every change;
// and `run(name, call)` for each new call, which pins the call to the version active right now.
import { resolve } from 'node:path';
import { compileDialplan } from '../compiler/compile.ts';
import type { CallHost } from '../host/call-host.ts';
import type { CallInfo } from '../host/call-info.ts';
import { listEntries } from '../reload/entries.ts';
import { VersionRegistry, type DialplanStatus } from '../reload/registry.ts';
import { watchFolder, type FolderWatcher } from '../reload/watcher.ts';
import { createSandbox, type CallOutcome, type Sandbox, type SandboxKind, type SandboxOptions } from '../sandbox/index.ts';
import { stderrLog, errorText, type DialplanLog } from '../util/log.ts';
import { DEFAULT_FALLBACK, runCall, type FallbackPolicy } from './run-call.ts';

export interface DialplanServiceOptions {
  dir: string;
  host: CallHost;
  log?: DialplanLog;
  sandbox?: Partial<SandboxOptions>;
  /** 'unsafe' only for debugging a dialplan in a debugger (no isolation, no limits). */
  sandboxKind?: SandboxKind;
  fallback?: FallbackPolicy;
  /** Watch the folder and reload on changes (default true). */
  watch?: boolean;
  debounceMs?: number;
}

export class DialplanService {
  readonly registry: VersionRegistry;
  readonly dir: string;
  readonly #o: DialplanServiceOptions;
  readonly #log: DialplanLog;
  #watcher: FolderWatcher | null = null;
  readonly #running = new Map<string, Sandbox>();
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(o: DialplanServiceOptions) {
    this.#o = o;
    this.dir = resolve(o.dir);
    this.#log = o.log ?? stderrLog;
    this.registry = new VersionRegistry({
      createSandbox: (c) => createSandbox(c, { log: this.#log, ...o.sandbox }, o.sandboxKind ?? 'isolated'),
      log: this.#log,
    });
  }

  /** Compiles every dialplan in the folder, then watches it. Resolves with the status. */
  async start(): Promise<DialplanStatus[]> {
    await this.reload();
    if (this.#o.watch !== false && !this.#watcher) {
      this.#watcher = watchFolder(this.dir, (paths) => void this.reload(paths), { debounceMs: this.#o.debounceMs ?? 100, log: this.#log });
    }
    return this.status();
  }

  /** Recompiles the dialplans affected by `changed` (all when omitted); runs one batch at a time. */
  reload(changed?: readonly string[]): Promise<void> {
    const next = this.#queue.then(() => this.#reload(changed));
    this.#queue = next.catch((err: unknown) => this.#log('error', `dialplan reload failed: ${errorText(err)}`));
    return this.#queue;
  }

  async #reload(changed?: readonly string[]): Promise<void> {
    if (this.#closed) return;
    const entries = listEntries(this.dir);
    for (const name of this.registry.names()) if (!entries.has(name)) this.registry.remove(name);
    for (const [name, file] of entries) {
      const current = this.registry.get(name);
      const affected =
        !changed || !current || changed.includes(file) || changed.some((p) => current.dialplan.inputs.includes(p) || p === this.dir);
      if (!affected) continue;
      const r = await compileDialplan(file, { root: this.dir });
      if (this.#closed) return;
      if (r.ok) {
        this.registry.activate(r.dialplan);
        // Isolate, compiled script and spare contexts ready before the version's first call.
        void this.registry.get(name)?.warm().catch(() => undefined); // the first call reports trouble
      } else this.registry.refuse(name, r.message, r.errors);
    }
  }

  /** Runs a call on the active version of `name` (the call stays on it); never rejects. */
  async run(name: string, call: CallInfo): Promise<CallOutcome> {
    const sandbox = this.registry.get(name);
    if (!sandbox) return this.#noDialplan(name, call);
    this.#running.set(call.id, sandbox);
    try {
      return await runCall(sandbox, call, this.#o.host, this.#o.fallback ?? DEFAULT_FALLBACK);
    } finally {
      this.#running.delete(call.id);
    }
  }

  /** The host tore the call down: stop its dialplan if it is still running (see Sandbox.end). */
  end(callId: string, message = 'the call was ended by the PBX'): boolean {
    return this.#running.get(callId)?.end(callId, message) ?? false;
  }

  async #noDialplan(name: string, call: CallInfo): Promise<CallOutcome> {
    const message = `no active dialplan '${name}' in ${this.dir}`;
    this.#log('error', message);
    const policy = this.#o.fallback ?? DEFAULT_FALLBACK;
    const base = { result: 'error' as const, message, callId: call.id, dialplan: name, version: '', ended: false };
    try {
      const r = await this.#o.host.op(call.id, 'fallback', { reason: 'error', message, ...policy });
      return { ...base, fallback: r.ok ? r.value.action : `fallback failed: ${r.error.message}` };
    } catch (err) {
      return { ...base, fallback: `fallback failed: ${errorText(err)}` };
    }
  }

  status(): DialplanStatus[] {
    return this.registry.status();
  }

  /** Stops watching and unloads every version (calls still running end as 'disposed'). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#watcher?.close();
    this.#watcher = null;
    await this.#queue;
    await this.registry.close();
  }
}
