// Shared plumbing of the four transaction state machines: timers and guarded transitions.
import type { TimerHandle } from '../util/clock.ts';
import type { Destination } from '../transport/transport-layer.ts';
import type { TransactionEnv, TransactionState } from './transaction.ts';

export abstract class TransactionBase {
  state: TransactionState;
  /** Named timers as two short parallel lists (a transaction has at most four; a Map per transaction costs more). */
  private timerNames: string[] = [];
  private timerHandles: TimerHandle[] = [];

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
    const i = this.timerNames.indexOf(name);
    if (i < 0) {
      this.timerNames.push(name);
      this.timerHandles.push(handle);
      return;
    }
    // A fired handle may still be listed; cancelling it is harmless.
    this.timerHandles[i]!.cancel();
    this.timerHandles[i] = handle;
  }

  protected stopTimer(name: string): void {
    const i = this.timerNames.indexOf(name);
    if (i >= 0) this.timerHandles[i]!.cancel();
  }

  protected transmit(data: Buffer): void {
    this.env.sender.send(data, this.dest, (e) => this.transportError(e));
  }

  protected abstract transportError(error: string): void;
  protected abstract terminatedHook(): void;

  private terminate(): void {
    for (const t of this.timerHandles) t.cancel();
    this.timerNames = [];
    this.timerHandles = [];
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
