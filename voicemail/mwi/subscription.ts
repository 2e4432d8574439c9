// One message-summary subscription, notifier side (RFC 6665 §4.2): its expiry timer and the
// NOTIFYs of its dialog. They go one at a time (§4.2.2: no new NOTIFY while one is pending); a
// change that arrives meanwhile is folded into the next one, which carries the state as it is then.
import type { Clock, TimerHandle } from '../../core/sip/util/clock.ts';

export interface NotifyContent {
  /** `active;expires=N` or `terminated[;reason=…]`. */
  subscriptionState: string;
  /** The summary; absent when the mailbox no longer exists. */
  body: string | undefined;
}

export interface SubscriptionDeps {
  clock: Clock;
  /** The summary body as it is now; undefined when the mailbox is gone. */
  summary(): string | undefined;
  /** Sends one NOTIFY in the dialog; resolves with its final status, or 0 when it could not be sent. */
  send(n: NotifyContent): Promise<number>;
  /** The subscription is over and its dialog done with. */
  ended(sub: Subscription, why: string): void;
}

export type SubscriptionStatus = 'active' | 'terminating' | 'ended';

const NEXT: Readonly<Record<SubscriptionStatus, readonly SubscriptionStatus[]>> = {
  active: ['terminating', 'ended'],
  terminating: ['ended'],
  ended: [],
};

type Pending = { kind: 'state' } | { kind: 'final'; reason: string | undefined };

export class Subscription {
  private status: SubscriptionStatus = 'active';
  private expiresAt = 0;
  private timer: TimerHandle | undefined;
  private sending = false;
  private pending: Pending | undefined;
  readonly createdAt: number;

  constructor(
    /** The dialog id the engine gave the subscription. */
    readonly id: string,
    readonly mailbox: string,
    seconds: number,
    private readonly deps: SubscriptionDeps,
  ) {
    this.createdAt = deps.clock.now();
    this.arm(seconds);
  }

  get state(): SubscriptionStatus {
    return this.status;
  }

  /** Accepted or refreshed for `seconds`: "notifiers MUST send a NOTIFY request immediately" (§4.2.1.2). */
  refresh(seconds: number): void {
    if (this.status !== 'active') return;
    this.arm(seconds);
    this.queue({ kind: 'state' });
  }

  /** The mailbox changed. */
  update(): void {
    if (this.status === 'active') this.queue({ kind: 'state' });
  }

  /** Ends the subscription with a final NOTIFY `terminated[;reason=…]` (§4.2.2). */
  terminate(reason?: string): void {
    if (this.status !== 'active') return;
    this.transition('terminating');
    this.timer?.cancel();
    this.queue({ kind: 'final', reason });
  }

  /**
   * The PBX is shutting down: the final NOTIFY goes out at once, even past one still pending,
   * because nothing will be left to send it once that is answered.
   */
  shutdown(reason: string): void {
    if (this.status === 'ended') return;
    if (this.status === 'active') this.transition('terminating');
    this.timer?.cancel();
    this.sending = false;
    this.pending = { kind: 'final', reason };
    this.pump();
  }

  /** Forgets the subscription without a NOTIFY: the engine connection that carried its dialog is gone. */
  drop(): void {
    if (this.status === 'ended') return;
    this.timer?.cancel();
    this.pending = undefined;
    this.transition('ended');
  }

  private arm(seconds: number): void {
    this.timer?.cancel();
    this.expiresAt = this.deps.clock.now() + seconds * 1000;
    // §4.2.2: at expiry the notifier sends `terminated;reason=timeout`.
    this.timer = this.deps.clock.setTimer(seconds * 1000, () => this.terminate('timeout'));
  }

  private queue(p: Pending): void {
    // A final NOTIFY is never replaced by a state update.
    if (this.pending?.kind !== 'final') this.pending = p;
    this.pump();
  }

  private pump(): void {
    if (this.sending || !this.pending || this.status === 'ended') return;
    const p = this.pending;
    this.pending = undefined;
    const body = this.deps.summary();
    if (body === undefined && p.kind === 'state') return this.terminate('noresource');
    const remaining = Math.max(0, Math.ceil((this.expiresAt - this.deps.clock.now()) / 1000));
    const subscriptionState = p.kind === 'final' ? `terminated${p.reason ? `;reason=${p.reason}` : ''}` : `active;expires=${remaining}`;
    this.sending = true;
    void this.deps.send({ subscriptionState, body }).then((status) => {
      this.sending = false;
      if (this.status === 'ended') return;
      if (p.kind === 'final') return this.end(`final NOTIFY answered ${status}`);
      if (status >= 200 && status < 300) return this.pump();
      if (status === 0) return this.end('NOTIFY could not be sent');
      // §4.2.2: a NOTIFY that fails (timeout, 481, any other error) removes the subscription.
      // The final NOTIFY lets drachtio-server drop the dialog; our engine dropped it already
      // after a 481 or 408, and refuses it at once.
      if (this.status === 'active') {
        this.transition('terminating');
        this.timer?.cancel();
        this.pending = { kind: 'final', reason: 'probation' };
      }
      this.pump();
    });
  }

  private end(why: string): void {
    this.timer?.cancel();
    this.transition('ended');
    this.deps.ended(this, why);
  }

  private transition(next: SubscriptionStatus): void {
    if (!NEXT[this.status].includes(next)) throw new Error(`subscription ${this.id}: ${this.status} → ${next} is not allowed`);
    this.status = next;
  }
}
