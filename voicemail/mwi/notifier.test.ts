// Who hears about a mailbox, with srf and the location service faked: subscribers or else
// registered phones, the per-mailbox subscription limit, the unsolicited switch, and what a
// (re)connection does.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock.ts';
import type { LocatedContact } from '../../core/pbx/location/location-service.ts';
import type { Logger } from '../../core/sip/util/logger.ts';
import { MwiNotifier } from './notifier.ts';
import type { MwiRequestOptions, MwiSrf } from './srf-mwi.ts';
import { MemoryMailboxCounts } from './testing.ts';

const quiet: Logger = { debugEnabled: false, debug() {}, info() {}, notice() {}, warn() {}, error() {} };

function contact(aor: string, uri: string, nextHop?: string): LocatedContact {
  return {
    aor, uri, q: 1, expiresAt: 1e12, instance: null, source: { address: '127.0.0.1', port: 5062, transport: 'udp' },
    behindNat: !!nextHop, nextHop, userAgent: null, registeredAt: 0, reachable: undefined,
  };
}

function setup(o: { unsolicited?: boolean; maxPerMailbox?: number } = {}) {
  const sent: { uri: string; opts: MwiRequestOptions }[] = [];
  const srf: MwiSrf = {
    subscribe() {},
    on() {},
    async request(uri, opts) {
      sent.push({ uri, opts });
      return { on: (_e: 'response', fn: (r: { status: number; reason: string; get(): undefined }) => void) => setImmediate(() => fn({ status: 200, reason: 'OK', get: () => undefined })) };
    },
  };
  const contacts = [contact('sip:1001@pbx.test', 'sip:1001@10.0.0.5:5060', 'sip:127.0.0.1:5062;transport=udp'), contact('sip:1002@pbx.test', 'sip:1002@127.0.0.1:5070')];
  const boxes = new MemoryMailboxCounts(['1001', '1002']);
  const notifier = new MwiNotifier({
    srf, mailboxes: boxes, domain: 'pbx.test', unsolicited: o.unsolicited ?? true, maxUnsolicitedInFlight: 10,
    maxSubscriptionsPerMailbox: o.maxPerMailbox ?? 10, requestTimeoutMs: 10_000, clock: new FakeClock(), log: quiet,
    location: {
      lookup: async (aor) => contacts.filter((c) => c.aor === `sip:${aor.replace(/^sip:|@.*$/g, '')}@pbx.test`),
      all: async () => contacts,
    },
  });
  boxes.changed.on((m) => notifier.mailboxChanged(m));
  const settle = () => new Promise((r) => setTimeout(r, 5));
  const sub = (n: number, mailbox = '1001') =>
    notifier.subscribe({ dialogId: `d${n}`, mailbox, event: 'message-summary', contact: '<sip:127.0.0.1:5060>', seconds: 600 });
  return { sent, boxes, notifier, settle, sub };
}

describe('MwiNotifier', () => {
  it('tells a subscribed mailbox\'s subscribers in their dialogs, and an unsubscribed one\'s phones out of dialog (via their next hop)', async () => {
    const t = setup();
    t.sub(1);
    await t.settle();
    t.sent.length = 0;
    t.boxes.set('1001', { newCount: 1, oldCount: 0 });
    t.boxes.set('1002', { newCount: 2, oldCount: 0 });
    await t.settle();
    expect(t.sent.map((s) => [s.uri, s.opts.stackDialogId ?? null, s.opts.proxy ?? null])).toEqual([
      ['sip:placeholder', 'd1', null],
      ['sip:1002@127.0.0.1:5070', null, null],
    ]);
    const unsolicited = t.sent[1]!.opts;
    expect(unsolicited.headers).toEqual({
      From: '<sip:1002@pbx.test>', To: '<sip:1002@pbx.test>', Event: 'message-summary', 'Content-Type': 'application/simple-message-summary',
    });
    expect(unsolicited.body).toContain('Voice-Message: 2/0');
    t.sent.length = 0;
    await t.notifier.phonesRegistered('sip:1001@pbx.test', ['sip:1001@10.0.0.5:5060']);
    await t.notifier.phonesRegistered('sip:1002@pbx.test', ['sip:1002@127.0.0.1:5070']);
    await t.settle();
    expect(t.sent.map((s) => s.uri)).toEqual(['sip:1002@127.0.0.1:5070']); // 1001 has a subscriber
  });

  it('ends the oldest subscription (reason=rejected) past the per-mailbox limit', async () => {
    const t = setup({ maxPerMailbox: 2 });
    t.sub(1);
    t.sub(2);
    t.sub(3);
    await t.settle();
    const finals = t.sent.filter((s) => /^terminated/.test(s.opts.headers['Subscription-State'] ?? ''));
    expect(finals.map((s) => [s.opts.stackDialogId, s.opts.headers['Subscription-State']])).toEqual([['d1', 'terminated;reason=rejected']]);
    await t.settle();
    expect(t.notifier.subscriptions.ofMailbox('1001').map((s) => s.id)).toEqual(['d2', 'd3']);
  });

  it('sends nothing out of dialog when unsolicited NOTIFY is off', async () => {
    const t = setup({ unsolicited: false });
    t.boxes.set('1002', { newCount: 1, oldCount: 0 });
    await t.notifier.phonesRegistered('sip:1002@pbx.test', ['sip:1002@127.0.0.1:5070']);
    await t.notifier.connected();
    await t.settle();
    expect(t.sent).toEqual([]);
  });

  it('on (re)connection forgets the old subscriptions without a NOTIFY and tells every registered phone', async () => {
    const t = setup();
    t.sub(1);
    await t.settle();
    t.sent.length = 0;
    await t.notifier.connected();
    await t.settle();
    expect(t.notifier.subscriptions.size).toBe(0);
    expect(t.sent.map((s) => [s.uri, s.opts.proxy ?? null])).toEqual([
      ['sip:1001@10.0.0.5:5060', 'sip:127.0.0.1:5062;transport=udp'],
      ['sip:1002@127.0.0.1:5070', null],
    ]);
  });

  it('close() ends every subscription with terminated;reason=deactivated', async () => {
    const t = setup();
    t.sub(1);
    t.sub(2, '1002');
    t.notifier.close();
    await t.settle();
    const finals = t.sent.filter((s) => s.opts.headers['Subscription-State']?.startsWith('terminated'));
    expect(finals.map((s) => [s.opts.stackDialogId, s.opts.headers['Subscription-State']])).toEqual([
      ['d1', 'terminated;reason=deactivated'],
      ['d2', 'terminated;reason=deactivated'],
    ]);
    expect(t.notifier.subscriptions.size).toBe(0);
  });
});
