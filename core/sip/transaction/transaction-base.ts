// Shared plumbing of the four transaction state machines: timers and guarded transitions.
import type { TimerHandle } from '../util/clock.ts';
import type { Destination } from '../transport/transport-layer.ts';
import type { TransactionEnv, TransactionState } from './transaction.ts';

export abstract class TransactionBase {
  state: TransactionState;
  private timers = new Map<string, TimerHandle>();

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
    this.timers.get(name)?.cancel();
    // A fired handle stays in the map; cancelling it later is harmless.
    this.timers.set(name, this.env.clock.setTimer(ms, fn));
  }

  protected stopTimer(name: string): void {
    this.timers.get(name)?.cancel();
    this.timers.delete(name);
  }

  protected transmit(data: Buffer): void {
    this.env.sender.send(data, this.dest, (e) => this.transportError(e));
  }

  protected abstract transportError(error: string): void;
  protected abstract terminatedHook(): void;

  private terminate(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
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
