// Shared plumbing of the four transaction state machines: timers and guarded transitions.
import type { TimerHandle } from '../util/clock.ts';
import type { Destination } from '../transport/transport-layer.ts';
import type { TransactionEnv, TransactionState } from './transaction.ts';

export abstract class TransactionBase {
  state: TransactionState;
  /**
   * Named timers as `[name, handle, name, handle, …]` in four preallocated pairs (a transaction
   * runs at most three at once): smaller than a Map, and thousands of transactions linger.
   */
  private timers: (string | TimerHandle | undefined)[] = [undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined];

  constructor(
    readonly key: string,
    protected readonly env: TransactionEnv,
    public dest: Destination,
    initial: TransactionState,
    private readonly onGone: (t: TransactionBase) => void,
  ) {
    this.state = initial;
  }

  /** UDP needs retransmissions and lingering states; reliable transports don't (§17.1.1.2). */
  get reliable(): boolean {
    return this.dest.protocol !== 'udp';
  }

  protected abstract readonly allowed: Partial<Record<TransactionState, readonly TransactionState[]>>;

  protected transition(next: TransactionState): void {
    const ok = this.allowed[this.state]?.includes(next) ?? false;
    if (!ok) throw new Error(`${this.constructor.name}: illegal transition ${this.state} → ${next}`);
    this.state = next;
    if (next === 'terminated') this.terminate();
  }

  protected startTimer(name: string, ms: number, fn: () => void): void {
    const handle = this.env.clock.setTimer(ms, fn);
    const t = this.timers;
    let free = -1;
    for (let i = 0; i < t.length; i += 2) {
      if (t[i] === name) {
        // A fired handle may still be listed; cancelling it is harmless.
        (t[i + 1] as TimerHandle).cancel();
        t[i + 1] = handle;
        return;
      }
      if (free < 0 && t[i] === undefined) free = i;
    }
    if (free < 0) {
      t.push(name, handle);
      return;
    }
    t[free] = name;
    t[free + 1] = handle;
  }

  protected stopTimer(name: string): void {
    const t = this.timers;
    for (let i = 0; i < t.length; i += 2) {
      if (t[i] !== name) continue;
      (t[i + 1] as TimerHandle).cancel();
      t[i] = undefined;
      t[i + 1] = undefined;
      return;
    }
  }

  protected transmit(data: Buffer): void {
    this.env.sender.send(data, this.dest, (e) => this.transportError(e));
  }

  protected abstract transportError(error: string): void;
  protected abstract terminatedHook(): void;

  private terminate(): void {
    const t = this.timers;
    for (let i = 1; i < t.length; i += 2) (t[i] as TimerHandle | undefined)?.cancel();
    t.fill(undefined);
    this.onGone(this);
    this.terminatedHook();
  }

  /** Tear down without protocol action (engine shutdown). */
  abort(): void {
    if (this.state !== 'terminated') {
      this.state = 'terminated';
      this.terminate();
    }
  }
}
