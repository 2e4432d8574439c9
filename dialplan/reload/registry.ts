// Which version of each dialplan takes new calls. Activation is one Map write (atomic for every
// later `get`); a call keeps the Sandbox it started on, so calls in progress finish on their own
// version, and a replaced version is disposed once its last call is done.
import { Event } from '../../core/media/util/event.ts';
import type { CompiledDialplan } from '../compiler/compile.ts';
import type { Diagnostic } from '../compiler/diagnostics.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';
import type { DialplanLog } from '../util/log.ts';

export interface DialplanStatus {
  name: string;
  active: { version: string; file: string; since: number; inflight: number; kills: number } | null;
  /** Older versions still finishing calls. */
  retiring: { version: string; inflight: number }[];
  /** The last refused compile (cleared by a successful one); the active version, if any, is older. */
  lastError: { at: number; message: string; errors: Diagnostic[] } | null;
}

interface Entry {
  active: { sandbox: Sandbox; since: number } | null;
  lastError: DialplanStatus['lastError'];
}

export class VersionRegistry {
  readonly activated = new Event<[name: string, version: string, previous: string | null]>();
  readonly refused = new Event<[name: string, message: string]>();
  readonly #entries = new Map<string, Entry>();
  readonly #retiring = new Map<Sandbox, Promise<void>>();

  constructor(
    private readonly o: { createSandbox: (c: CompiledDialplan) => Sandbox; log: DialplanLog; now?: () => number },
  ) {}

  get(name: string): Sandbox | undefined {
    return this.#entries.get(name)?.active?.sandbox;
  }

  names(): string[] {
    return [...this.#entries.keys()];
  }

  activate(c: CompiledDialplan): void {
    const entry = this.#entry(c.name);
    entry.lastError = null;
    const previous = entry.active?.sandbox;
    if (previous?.dialplan.version === c.version) return; // same code: keep the warm isolate
    entry.active = { sandbox: this.o.createSandbox(c), since: this.#now() };
    if (previous) this.#retire(previous);
    this.o.log('info', `dialplan '${c.name}' version ${c.version} active${previous ? ` (was ${previous.dialplan.version})` : ''}`);
    this.activated.emit(c.name, c.version, previous?.dialplan.version ?? null);
  }

  /** A new version failed its checks: log it, keep serving the old one. */
  refuse(name: string, message: string, errors: Diagnostic[]): void {
    const entry = this.#entry(name);
    entry.lastError = { at: this.#now(), message, errors };
    const kept = entry.active ? `; version ${entry.active.sandbox.dialplan.version} stays active` : '; no version is active';
    this.o.log('error', `${message}${kept}`);
    this.refused.emit(name, message);
  }

  remove(name: string): void {
    const entry = this.#entries.get(name);
    if (!entry) return;
    this.#entries.delete(name);
    if (entry.active) this.#retire(entry.active.sandbox);
    this.o.log('info', `dialplan '${name}' removed`);
  }

  status(): DialplanStatus[] {
    const retiring = [...this.#retiring.keys()];
    return [...this.#entries].map(([name, e]) => ({
      name,
      active: e.active && {
        version: e.active.sandbox.dialplan.version,
        file: e.active.sandbox.dialplan.entry,
        since: e.active.since,
        inflight: e.active.sandbox.inflight,
        kills: e.active.sandbox.stats().kills,
      },
      retiring: retiring.filter((s) => s.dialplan.name === name).map((s) => ({ version: s.dialplan.version, inflight: s.inflight })),
      lastError: e.lastError,
    }));
  }

  /** Unloads everything; calls still in flight end as 'disposed'. */
  async close(): Promise<void> {
    const all = [...this.#entries.values()].flatMap((e) => (e.active ? [e.active.sandbox] : []));
    this.#entries.clear();
    await Promise.allSettled([...all, ...this.#retiring.keys()].map((s) => s.dispose()));
    await Promise.allSettled([...this.#retiring.values()]);
  }

  #retire(s: Sandbox): void {
    const done = s
      .idle()
      .then(() => s.dispose())
      .finally(() => this.#retiring.delete(s));
    this.#retiring.set(s, done);
  }

  #entry(name: string): Entry {
    let e = this.#entries.get(name);
    if (!e) this.#entries.set(name, (e = { active: null, lastError: null }));
    return e;
  }

  #now(): number {
    return (this.o.now ?? Date.now)();
  }
}
