// Spare contexts for the per-call mode: made (and loaded, when the dialplan allows it) ahead of
// calls, one at a time and only while no call is waiting for a context of its own. Each spare still
// serves exactly one call, so isolation is unchanged; what moves is when the context's CPU is
// spent: before the INVITE arrives instead of between the INVITE and the dialplan's first op.
import { releaseMade, type Made } from './box.ts';

export interface SparePoolOptions {
  /** How many to keep ready (0: none). */
  target: number;
  /** How long after a call took its context the pool starts refilling (`fillSoon`). */
  delayMs: number;
  make(): Promise<Made>;
  /** True while the isolate has more urgent work of this kind (a call making its own context). */
  busy(): boolean;
  /** A spare could not be made; the pool stops and calls make their own, as without it. */
  failed(err: unknown): void;
  /** Preparation started or ended (the watchdog watches the isolate while it works). */
  activity(): void;
  track(p: Promise<unknown>): void;
}

export class SparePool {
  readonly #ready: Made[] = [];
  #preparing = 0;
  #stopped = false;
  #timer: NodeJS.Timeout | null = null;
  readonly #waiters = new Set<() => void>();

  constructor(private readonly o: SparePoolOptions) {}

  get preparing(): boolean {
    return this.#preparing > 0;
  }

  get size(): number {
    return this.#ready.length;
  }

  take(): Made | undefined {
    return this.#ready.shift();
  }

  /**
   * Refills a little later: a call has just started, and its first ops should not queue behind a
   * context being made on the isolate's thread. Not pushed back by later calls, so the pool still
   * refills under steady load.
   */
  fillSoon(): void {
    if (this.#timer || this.#stopped || this.o.target === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.fill();
    }, this.o.delayMs);
    this.#timer.unref();
  }

  /** Starts preparing one spare if the pool is short and nothing more urgent needs the isolate. */
  fill(): void {
    if (this.#stopped || this.#preparing > 0 || this.#ready.length >= this.o.target || this.o.busy()) {
      this.#settle();
      return;
    }
    this.#preparing++;
    this.o.activity();
    const made = this.o.make().then(
      (m) => void (this.#stopped ? releaseMade(m) : this.#ready.push(m)),
      (err: unknown) => {
        if (this.#stopped) return;
        this.stop();
        this.o.failed(err);
      },
    );
    this.o.track(
      made.finally(() => {
        this.#preparing--;
        this.o.activity();
        this.fill();
      }),
    );
  }

  /** Resolves once nothing is being prepared (the pool is full, stopped, or waiting for calls). */
  settled(): Promise<void> {
    if (this.#preparing === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.add(resolve));
  }

  /** Releases the ready spares (they were loaded, and loading ahead turned out not to be allowed). */
  drop(): void {
    for (const m of this.#ready.splice(0)) releaseMade(m);
  }

  /** No more spares (the isolate was killed or the sandbox disposed). */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.drop();
    this.#settle();
  }

  #settle(): void {
    if (this.#preparing > 0) return;
    for (const f of [...this.#waiters]) f();
    this.#waiters.clear();
  }
}
