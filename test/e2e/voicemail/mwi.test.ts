// Message-waiting indication end to end: the real engine and PBX app, raw UDP phones that
// SUBSCRIBE (digest-authenticated) and REGISTER, and sipp as an independent subscriber. Every
// test ends with the engine back at zero transactions and dialogs (the harness checks).
import { afterEach, describe, expect, it } from 'vitest';
import { tagOf, type SipRequest } from '../../../core/sip/parser/index.ts';
import { MemoryMailboxCounts } from '../../../voicemail/mwi/testing.ts';
import { parseSippMessages, startSipp } from '../../sipp/sipp.ts';
import { PASSWORDS, startPbxHarness, type PbxHarness } from '../pbx/support/pbx-harness.ts';
import { closeMwiPhones, MwiPhone, summaryOf } from './support/mwi-phone.ts';

/** Bounded wait for a condition the test cannot be told about directly. */
async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let h: PbxHarness | undefined;
afterEach(async () => {
  closeMwiPhones();
  await h?.stop();
  h = undefined;
});

async function pbx(mailboxes: MemoryMailboxCounts, mwi: Record<string, unknown> = {}): Promise<PbxHarness> {
  h = await startPbxHarness({ mwi }, PASSWORDS, { mailboxes });
  return h;
}

describe('message-summary subscriptions', () => {
  it('subscribes with digest auth, gets the state at once, and a NOTIFY on every change', async () => {
    const boxes = new MemoryMailboxCounts(['1001']);
    await pbx(boxes);
    const phone = await MwiPhone.open(h!);
    const res = await phone.subscribe({ expires: 600, event: 'message-summary;id=7' });
    expect(res.status).toBe(200);
    expect(res.get('expires')).toBe('600');
    expect(res.get('contact')).toMatch(/^<sip:127\.0\.0\.1:\d+>$/);

    const first = await phone.nextNotify();
    expect(first.uri).toBe(`sip:1001@127.0.0.1:${phone.udp.port}`);
    expect(first.get('event')).toBe('message-summary;id=7'); // the id comes back (RFC 6665 §8.2.1)
    expect(first.get('subscription-state')).toMatch(/^active;expires=(600|599)$/);
    expect(first.get('content-type')).toBe('application/simple-message-summary');
    expect(first.get('contact')).toBe(res.get('contact'));
    expect(tagOf(first.get('to') ?? '')).toBe(phone.dialog!.fromTag);
    expect(tagOf(first.get('from') ?? '')).toBe(phone.dialog!.toTag);
    expect(summaryOf(first)).toEqual({ waiting: 'no', account: 'sip:1001@pbx.test', voice: '0/0' });

    boxes.set('1001', { newCount: 1, oldCount: 0 });
    const second = await phone.nextNotify();
    expect(summaryOf(second)).toEqual({ waiting: 'yes', account: 'sip:1001@pbx.test', voice: '1/0' });
    boxes.set('1001', { newCount: 0, oldCount: 1 });
    const third = await phone.nextNotify();
    expect(summaryOf(third)).toMatchObject({ waiting: 'no', voice: '0/1' });
    const seq = (r: SipRequest) => Number((r.get('cseq') ?? '').split(' ')[0]);
    expect(seq(second)).toBeGreaterThan(seq(first));
    expect(seq(third)).toBeGreaterThan(seq(second));
  });

  it('refreshes in the dialog (200 with the granted Expires, then a NOTIFY); too brief gets 423 and the subscription goes on', async () => {
    const boxes = new MemoryMailboxCounts(['1001']);
    await pbx(boxes, { minExpires: 120, maxExpires: 1800, defaultExpires: 1800 });
    const phone = await MwiPhone.open(h!);
    expect((await phone.subscribe({ expires: 7200 })).get('expires')).toBe('1800');
    await phone.nextNotify();

    const refreshed = await phone.refresh(900);
    expect(refreshed.status).toBe(200);
    expect(refreshed.get('expires')).toBe('900');
    expect((await phone.nextNotify()).get('subscription-state')).toMatch(/^active;expires=(900|899)$/);

    const brief = await phone.refresh(30);
    expect(brief.status).toBe(423);
    expect(brief.get('min-expires')).toBe('120');
    boxes.set('1001', { newCount: 3, oldCount: 0 });
    expect(summaryOf(await phone.nextNotify()).voice).toBe('3/0');
  });

  it('a refresh with a new Contact moves the NOTIFYs there (SUBSCRIBE is a target refresh request)', async () => {
    const boxes = new MemoryMailboxCounts(['1001']);
    await pbx(boxes);
    const phone = await MwiPhone.open(h!);
    const moved = await MwiPhone.open(h!);
    await phone.subscribe();
    await phone.nextNotify();
    expect((await phone.refresh(600, moved.udp.port)).status).toBe(200);
    expect((await moved.nextNotify()).uri).toBe(`sip:1001@127.0.0.1:${moved.udp.port}`);
    expect(phone.notifies).toHaveLength(1);
  });

  it('unsubscribes with Expires 0: 200, a final NOTIFY terminated with the state, and a later refresh gets 481', async () => {
    const boxes = new MemoryMailboxCounts(['1001']);
    boxes.set('1001', { newCount: 2, oldCount: 1 });
    await pbx(boxes);
    const phone = await MwiPhone.open(h!);
    await phone.subscribe();
    await phone.nextNotify();
    const bye = await phone.refresh(0);
    expect(bye.status).toBe(200);
    expect(bye.get('expires')).toBe('0');
    const last = await phone.nextNotify();
    expect(last.get('subscription-state')).toBe('terminated');
    expect(summaryOf(last).voice).toBe('2/1');
    await until('the subscription to be gone', () => h!.pbx.app.mwi.notifier.subscriptions.size === 0);
    expect((await phone.refresh(600)).status).toBe(481);
  });

  it('a new SUBSCRIBE with Expires 0 fetches the state once (terminated;reason=timeout)', async () => {
    const boxes = new MemoryMailboxCounts(['1001']);
    await pbx(boxes);
    const phone = await MwiPhone.open(h!);
    const res = await phone.subscribe({ expires: 0 });
    expect([res.status, res.get('expires')]).toEqual([200, '0']);
    const only = await phone.nextNotify();
    expect(only.get('subscription-state')).toBe('terminated;reason=timeout');
    expect(summaryOf(only).waiting).toBe('no');
  });

  it('ends an expired subscription with terminated;reason=timeout', async () => {
    const boxes = new MemoryMailboxCounts(['1001']);
    await pbx(boxes, { minExpires: 1 });
    const phone = await MwiPhone.open(h!);
    expect((await phone.subscribe({ expires: 1 })).get('expires')).toBe('1');
    expect((await phone.nextNotify()).get('subscription-state')).toMatch(/^active;expires=[01]$/);
    const end = await phone.nextNotify();
    expect(end.get('subscription-state')).toBe('terminated;reason=timeout');
    await until('the subscription to be gone', () => h!.pbx.app.mwi.notifier.subscriptions.size === 0);
  });

  it('refuses: another user\'s mailbox 403, a mailbox that does not exist 404, another event package 489 (unchallenged), another body type 406', async () => {
    const boxes = new MemoryMailboxCounts(['1001', '1002']);
    await pbx(boxes);
    const phone = await MwiPhone.open(h!);
    expect((await phone.subscribe({ mailbox: '1002' })).status).toBe(403);
    const p3 = await MwiPhone.open(h!, '1003');
    expect((await p3.subscribe()).status).toBe(404);
    const presence = await phone.subscribe({ event: 'presence' });
    expect(presence.status).toBe(489);
    expect(presence.get('allow-events')).toBe('message-summary');
    const pidf = await phone.subscribe({ accept: 'application/pidf+xml' });
    expect(pidf.status).toBe(406);
    expect(pidf.get('accept')).toBe('application/simple-message-summary');
    expect((await phone.subscribe({ password: 'wrong' })).status).toBe(401);
    expect(h!.pbx.app.mwi.notifier.subscriptions.size).toBe(0);
    expect(phone.notifies).toEqual([]);
  });

  it('a NOTIFY answered 481 ends the subscription; the next change goes out of dialog instead', async () => {
    const boxes = new MemoryMailboxCounts(['1001']);
    await pbx(boxes);
    const phone = await MwiPhone.open(h!);
    await phone.udp.registerWithAuth({ expires: 600 });
    expect((await phone.nextNotify()).get('subscription-state')).toBeUndefined(); // registered, not yet subscribed
    await phone.subscribe();
    await phone.nextNotify();
    phone.notifyStatus = 481;
    boxes.set('1001', { newCount: 1, oldCount: 0 });
    expect((await phone.nextNotify()).get('subscription-state')).toMatch(/^active/);
    await until('the subscription to end', () => h!.pbx.app.mwi.notifier.subscriptions.size === 0);
    expect(h!.engine.engine.stats().dialogs).toBe(0);
    phone.notifyStatus = 200;
    boxes.set('1001', { newCount: 2, oldCount: 0 });
    const next = await phone.nextNotify();
    expect(next.get('subscription-state')).toBeUndefined();
    expect(tagOf(next.get('to') ?? '')).toBeUndefined();
    expect(summaryOf(next).voice).toBe('2/0');
  });

  it('a NOTIFY nobody answers (timeout) ends the subscription', async () => {
    const boxes = new MemoryMailboxCounts(['1001']);
    await pbx(boxes, { unsolicited: false });
    const phone = await MwiPhone.open(h!);
    phone.notifyStatus = null;
    await phone.subscribe();
    await phone.nextNotify();
    await until('the subscription to end', () => h!.pbx.app.mwi.notifier.subscriptions.size === 0, 15_000);
    expect(h!.engine.engine.stats().dialogs).toBe(0);
  });

  it.each(['u1', 't1'] as const)('sipp (%s) subscribes with digest auth, checks the NOTIFY, and unsubscribes', async (transport) => {
    const boxes = new MemoryMailboxCounts(['1001']);
    boxes.set('1001', { newCount: 4, oldCount: 2 });
    await pbx(boxes);
    const sipp = await startSipp({ scenario: 'uac-subscribe-mwi', remote: h!.engine.hostport, transport, service: '1001', authUser: '1001', authPassword: PASSWORDS['1001']! });
    const r = await sipp.done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    const received = parseSippMessages(r.messages).filter((m) => m.direction === 'received' && m.method === 'NOTIFY');
    // One per CSeq: with the tests' 40 ms T1 a NOTIFY may be retransmitted before sipp's 200 lands.
    const notifies = received.filter((m, i) => received.findIndex((o) => /CSeq: .*/.exec(o.text)?.[0] === /CSeq: .*/.exec(m.text)?.[0]) === i);
    expect(notifies.map((m) => /Subscription-State: (\S+)/.exec(m.text)?.[1])).toEqual([expect.stringMatching(/^active;expires=/), 'terminated']);
    expect(notifies[0]!.text).toMatch(/Voice-Message: 4\/2/);
  });
});

describe('unsolicited NOTIFY to registered phones', () => {
  it('goes to a registered phone that did not subscribe, when it registers and on every change', async () => {
    const boxes = new MemoryMailboxCounts(['1001']);
    await pbx(boxes);
    const phone = await MwiPhone.open(h!);
    expect((await phone.udp.registerWithAuth({ expires: 600 })).res.status).toBe(200);
    const onRegister = await phone.nextNotify();
    expect(onRegister.uri).toBe(`sip:1001@127.0.0.1:${phone.udp.port}`);
    expect(onRegister.get('event')).toBe('message-summary');
    expect(onRegister.get('subscription-state')).toBeUndefined();
    expect(onRegister.get('to')).toBe('<sip:1001@pbx.test>');
    expect(summaryOf(onRegister)).toEqual({ waiting: 'no', account: 'sip:1001@pbx.test', voice: '0/0' });

    boxes.set('1001', { newCount: 1, oldCount: 0 });
    expect(summaryOf(await phone.nextNotify())).toMatchObject({ waiting: 'yes', voice: '1/0' });
    boxes.set('1001', { newCount: 0, oldCount: 0 });
    expect(summaryOf(await phone.nextNotify())).toMatchObject({ waiting: 'no', voice: '0/0' });
  });

  it('a plain refresh sends none; a phone that restarted (same contact, new Call-ID) gets one', async () => {
    const boxes = new MemoryMailboxCounts(['1001']);
    await pbx(boxes);
    const phone = await MwiPhone.open(h!);
    await phone.udp.registerWithAuth({ expires: 600 });
    await phone.nextNotify();
    await phone.udp.registerWithAuth({ expires: 600 }); // a refresh: same Call-ID
    boxes.set('1001', { newCount: 5, oldCount: 0 });
    // Had the refresh sent one, it would have come first (one NOTIFY per phone at a time).
    expect(summaryOf(await phone.nextNotify()).voice).toBe('5/0');

    const port = phone.udp.port;
    phone.close();
    // UdpPhone numbers its branches per instance: the engine must have forgotten the old ones, or
    // it would take the new phone's REGISTERs for retransmissions (a real reboot takes longer too).
    await until('the old transactions to end', () => h!.engine.engine.stats().transactions === 0);
    const rebooted = await MwiPhone.open(h!, '1001', port);
    await rebooted.udp.registerWithAuth({ expires: 600 });
    expect(summaryOf(await rebooted.nextNotify()).voice).toBe('5/0');
  });

  it('reaches a phone behind NAT at the address its REGISTER came from', async () => {
    const boxes = new MemoryMailboxCounts(['1001']);
    await pbx(boxes);
    const phone = await MwiPhone.open(h!);
    await phone.udp.registerWithAuth({ expires: 600, contact: '<sip:1001@10.1.2.3:5060>' });
    const n = await phone.nextNotify();
    expect(n.uri).toBe('sip:1001@10.1.2.3:5060');
  });

  it('is not sent to phones of a mailbox somebody subscribed to', async () => {
    const boxes = new MemoryMailboxCounts(['1001', '1002']);
    await pbx(boxes);
    const watcher = await MwiPhone.open(h!);
    await watcher.subscribe();
    await watcher.nextNotify();
    const desk = await MwiPhone.open(h!);
    await desk.udp.registerWithAuth({ expires: 600 });
    boxes.set('1001', { newCount: 1, oldCount: 0 });
    expect(summaryOf(await watcher.nextNotify()).voice).toBe('1/0');
    // 1002 is not subscribed to: its registered phone is told, which also shows 1001's change came and went.
    const other = await MwiPhone.open(h!, '1002');
    await other.udp.registerWithAuth({ expires: 600 });
    await other.nextNotify();
    expect(desk.notifies).toEqual([]);
  });

  it('after a restart every registered phone is told again; subscribers are told to subscribe again', async () => {
    const boxes = new MemoryMailboxCounts(['1001', '1002']);
    boxes.set('1002', { newCount: 2, oldCount: 0 });
    await pbx(boxes);
    const subscriber = await MwiPhone.open(h!);
    await subscriber.subscribe();
    await subscriber.nextNotify();
    const desk = await MwiPhone.open(h!, '1002');
    await desk.udp.registerWithAuth({ expires: 600 });
    expect(summaryOf(await desk.nextNotify()).voice).toBe('2/0');

    await h!.restart();
    expect((await subscriber.nextNotify()).get('subscription-state')).toBe('terminated;reason=deactivated');
    const again = await desk.nextNotify();
    expect(again.get('subscription-state')).toBeUndefined();
    expect(summaryOf(again).voice).toBe('2/0');

    // The subscriber does what `deactivated` asks, against the new app.
    expect((await subscriber.subscribe()).status).toBe(200);
    expect((await subscriber.nextNotify()).get('subscription-state')).toMatch(/^active/);
    boxes.set('1001', { newCount: 1, oldCount: 0 });
    expect(summaryOf(await subscriber.nextNotify()).voice).toBe('1/0');
  });
});
