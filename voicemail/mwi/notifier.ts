// Who hears about a mailbox, and when: its subscribers on every change (in their dialogs), or,
// when nobody subscribed, its registered phones out of dialog. Also what a (re)connection to the
// engine means: the subscriptions of the old connection are gone, and every registered phone is
// told the state, so no lamp stays stale across a restart.
import type { Clock } from '../../core/sip/util/clock.ts';
import type { Logger } from '../../core/sip/util/logger.ts';
import type { LocatedContact } from '../../core/pbx/location/location-service.ts';
import { userOf } from '../../core/pbx/aor.ts';
import type { MailboxCounts } from './mailbox-counts.ts';
import { MESSAGE_SUMMARY_EVENT, MESSAGE_SUMMARY_TYPE, messageSummary } from './message-summary.ts';
import { sendRequest, type MwiSrf } from './srf-mwi.ts';
import { Subscription } from './subscription.ts';
import { SubscriptionTable } from './subscription-table.ts';
import { UnsolicitedNotifier, type UnsolicitedTarget } from './unsolicited.ts';

export interface MwiNotifierOptions {
  srf: MwiSrf;
  mailboxes: MailboxCounts;
  location: { lookup(aor: string): Promise<LocatedContact[]>; all(): Promise<LocatedContact[]> };
  domain: string;
  /** NOTIFY registered phones of mailboxes nobody subscribed to. */
  unsolicited: boolean;
  maxUnsolicitedInFlight: number;
  /** Subscriptions one mailbox may have; a new one past it ends the oldest. */
  maxSubscriptionsPerMailbox: number;
  /** How long to wait for an answer the engine should have given (past its Timer F). */
  requestTimeoutMs: number;
  clock: Clock;
  log: Logger;
}

export interface NewSubscription {
  dialogId: string;
  mailbox: string;
  /** The SUBSCRIBE's Event value, repeated verbatim in every NOTIFY (its `id` included). */
  event: string;
  /** The Contact the engine put on our 200, repeated in every NOTIFY (a target refresh request). */
  contact: string | undefined;
  seconds: number;
}

export class MwiNotifier {
  readonly subscriptions = new SubscriptionTable();
  private readonly unsolicited: UnsolicitedNotifier;

  constructor(private readonly o: MwiNotifierOptions) {
    this.unsolicited = new UnsolicitedNotifier({
      maxInFlight: o.maxUnsolicitedInFlight,
      send: (t) => this.sendUnsolicited(t),
      failed: (t, status) => o.log.info(`mwi: unsolicited NOTIFY for ${t.mailbox} to ${t.uri}: ${status || 'not sent'}`),
    });
  }

  account(mailbox: string): string {
    return `sip:${mailbox}@${this.o.domain}`;
  }

  summary(mailbox: string): string | undefined {
    const counts = this.o.mailboxes.counts(mailbox);
    return counts && messageSummary(this.account(mailbox), counts);
  }

  /** Our 200 went out: the subscription starts, and its first NOTIFY (or, for Expires 0, its only one). */
  subscribe(n: NewSubscription): Subscription {
    const { srf, clock, log, requestTimeoutMs } = this.o;
    const sub: Subscription = new Subscription(n.dialogId, n.mailbox, n.seconds, {
      clock,
      summary: () => this.summary(n.mailbox),
      send: ({ subscriptionState, body }) =>
        sendRequest(srf, 'sip:placeholder', {
          method: 'NOTIFY',
          stackDialogId: n.dialogId,
          headers: {
            Event: n.event,
            'Subscription-State': subscriptionState,
            ...(n.contact ? { Contact: n.contact } : {}),
            ...(body !== undefined ? { 'Content-Type': MESSAGE_SUMMARY_TYPE } : {}),
          },
          ...(body !== undefined ? { body } : {}),
        }, { clock, timeoutMs: requestTimeoutMs }),
      ended: (s, why) => {
        this.subscriptions.remove(s);
        log.info(`mwi: subscription ${s.id} to ${s.mailbox} ended: ${why}`);
      },
    });
    const live = this.subscriptions.ofMailbox(n.mailbox).filter((s) => s.state === 'active');
    // A phone that restarts subscribes anew while its old subscription lingers until it fails or expires.
    for (const old of live.slice(0, Math.max(0, live.length + 1 - this.o.maxSubscriptionsPerMailbox))) old.terminate('rejected');
    this.subscriptions.add(sub);
    if (n.seconds === 0) sub.terminate('timeout'); // a fetch (RFC 6665 §4.4.3): the state, then done
    else sub.refresh(n.seconds);
    return sub;
  }

  /** The mailbox's messages changed. */
  mailboxChanged(mailbox: string): void {
    const subs = this.activeSubscriptions(mailbox);
    if (subs.length > 0) {
      for (const s of subs) s.update();
      return;
    }
    void this.notifyPhones(mailbox, () => true);
  }

  /** Phones of `aor` registered (anew): tell them the mailbox state, unless it is subscribed to. */
  phonesRegistered(aor: string, contactUris: readonly string[]): Promise<void> {
    const mailbox = userOf(aor);
    if (mailbox === undefined || this.activeSubscriptions(mailbox).length > 0) return Promise.resolve();
    const wanted = new Set(contactUris);
    return this.notifyPhones(mailbox, (c) => wanted.has(c.uri));
  }

  /**
   * Connected (again) to the engine. Dialogs belong to the engine connection that made them, so
   * the old subscriptions are gone (their phones get 481 for the next refresh and subscribe
   * again); every phone registered to a mailbox is told its state meanwhile.
   */
  async connected(): Promise<void> {
    const old = this.subscriptions.all();
    for (const s of old) {
      s.drop();
      this.subscriptions.remove(s);
    }
    if (old.length) this.o.log.notice(`mwi: forgot ${old.length} subscription(s) of the previous engine connection`);
    if (!this.o.unsolicited) return;
    const mailboxes = new Set<string>();
    for (const c of await this.o.location.all()) {
      const mailbox = userOf(c.aor);
      if (mailbox !== undefined && this.o.mailboxes.counts(mailbox)) mailboxes.add(mailbox);
    }
    for (const mailbox of mailboxes) await this.notifyPhones(mailbox, () => true);
  }

  /** Ends every subscription with `terminated;reason=deactivated`: subscribe again (to whoever runs next). */
  close(): void {
    this.unsolicited.close();
    for (const s of this.subscriptions.all()) s.shutdown('deactivated');
  }

  private activeSubscriptions(mailbox: string): Subscription[] {
    return this.subscriptions.ofMailbox(mailbox).filter((s) => s.state === 'active');
  }

  private async notifyPhones(mailbox: string, which: (c: LocatedContact) => boolean): Promise<void> {
    if (!this.o.unsolicited || !this.o.mailboxes.counts(mailbox)) return;
    for (const c of await this.o.location.lookup(mailbox)) {
      if (which(c)) this.unsolicited.notify({ mailbox, uri: c.uri, nextHop: c.nextHop });
    }
  }

  /**
   * Outside RFC 6665 (which has no unsolicited NOTIFY) but what phones expect: Event and the
   * summary, no Subscription-State, no dialog.
   */
  private sendUnsolicited(t: UnsolicitedTarget): Promise<number> {
    const body = this.summary(t.mailbox);
    if (body === undefined) return Promise.resolve(0);
    const account = `<${this.account(t.mailbox)}>`;
    return sendRequest(this.o.srf, t.uri, {
      method: 'NOTIFY',
      headers: { From: account, To: account, Event: MESSAGE_SUMMARY_EVENT, 'Content-Type': MESSAGE_SUMMARY_TYPE },
      body,
      ...(t.nextHop ? { proxy: t.nextHop } : {}),
    }, { clock: this.o.clock, timeoutMs: this.o.requestTimeoutMs });
  }
}
