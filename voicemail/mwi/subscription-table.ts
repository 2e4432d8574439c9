// The live subscriptions, by dialog id (in-dialog SUBSCRIBEs) and by mailbox (changes).
import type { Subscription } from './subscription.ts';

export class SubscriptionTable {
  private readonly byId = new Map<string, Subscription>();
  private readonly byMailbox = new Map<string, Set<Subscription>>();

  get size(): number {
    return this.byId.size;
  }

  add(sub: Subscription): void {
    this.byId.set(sub.id, sub);
    let set = this.byMailbox.get(sub.mailbox);
    if (!set) this.byMailbox.set(sub.mailbox, (set = new Set()));
    set.add(sub);
  }

  get(id: string): Subscription | undefined {
    return this.byId.get(id);
  }

  /** The mailbox's subscriptions, oldest first. */
  ofMailbox(mailbox: string): Subscription[] {
    return [...(this.byMailbox.get(mailbox) ?? [])];
  }

  remove(sub: Subscription): void {
    if (this.byId.get(sub.id) === sub) this.byId.delete(sub.id);
    const set = this.byMailbox.get(sub.mailbox);
    set?.delete(sub);
    if (set?.size === 0) this.byMailbox.delete(sub.mailbox);
  }

  all(): Subscription[] {
    return [...this.byId.values()];
  }
}
