// The notifier's side of one subscription on a fake clock: NOTIFYs one at a time with the latest
// state, expiry, unsubscribe, and failures that end it.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { Subscription, type NotifyContent } from './subscription.ts';

function harness(seconds = 600) {
  const clock = new FakeClock();
  const sent: NotifyContent[] = [];
  const answers: ((status: number) => void)[] = [];
  const ended: string[] = [];
  let body: string | undefined = 'state-1';
  const sub = new Subscription('dlg-1', '1001', seconds, {
    clock,
    summary: () => body,
    send: (n) => {
      sent.push(n);
      return new Promise<number>((r) => answers.push(r));
    },
    ended: (_s, why) => ended.push(why),
  });
  /** Answers the oldest outstanding NOTIFY and lets the promise chain run. */
  const answer = async (status: number) => {
    answers.shift()!(status);
    await new Promise((r) => setImmediate(r));
  };
  return { clock, sent, ended, sub, answer, setBody: (b: string | undefined) => void (body = b), outstanding: () => answers.length };
}

describe('Subscription', () => {
  it('sends the state with the time left, and folds changes made meanwhile into one NOTIFY', async () => {
    const t = harness(600);
    t.sub.refresh(600);
    expect(t.sent).toEqual([{ subscriptionState: 'active;expires=600', body: 'state-1' }]);
    t.clock.advance(100_000);
    t.setBody('state-2');
    t.sub.update();
    t.setBody('state-3');
    t.sub.update();
    expect(t.sent).toHaveLength(1); // nothing new while the first is pending
    await t.answer(200);
    expect(t.sent.slice(1)).toEqual([{ subscriptionState: 'active;expires=500', body: 'state-3' }]);
    await t.answer(200);
    expect(t.outstanding()).toBe(0);
  });

  it('a refresh re-arms the timer; at expiry it ends with terminated;reason=timeout', async () => {
    const t = harness(60);
    t.sub.refresh(60);
    await t.answer(200);
    t.clock.advance(50_000);
    t.sub.refresh(60);
    await t.answer(200);
    t.clock.advance(59_000);
    expect(t.sent.map((n) => n.subscriptionState)).toEqual(['active;expires=60', 'active;expires=60']);
    t.clock.advance(1_000);
    expect(t.sent[2]).toEqual({ subscriptionState: 'terminated;reason=timeout', body: 'state-1' });
    expect(t.sub.state).toBe('terminating');
    await t.answer(200);
    expect(t.sub.state).toBe('ended');
    expect(t.ended).toEqual(['final NOTIFY answered 200']);
    expect(t.clock.pending).toBe(0);
  });

  it('terminate() waits for the pending NOTIFY, then sends only the final one', async () => {
    const t = harness();
    t.sub.refresh(600);
    t.sub.update();
    t.sub.terminate();
    t.sub.update(); // too late: it is ending
    await t.answer(200);
    expect(t.sent.map((n) => n.subscriptionState)).toEqual(['active;expires=600', 'terminated']);
    await t.answer(200);
    expect(t.ended).toHaveLength(1);
  });

  it('a failed NOTIFY ends the subscription with a final terminated;reason=probation (try again later)', async () => {
    const t = harness();
    t.sub.refresh(600);
    await t.answer(481);
    expect(t.sent[1]?.subscriptionState).toBe('terminated;reason=probation');
    expect(t.sub.state).toBe('terminating');
    await t.answer(0); // the engine already dropped the dialog
    expect(t.ended).toEqual(['final NOTIFY answered 0']);
    expect(t.clock.pending).toBe(0);
  });

  it('a NOTIFY that could not be sent at all ends it without another', async () => {
    const t = harness();
    t.sub.refresh(600);
    await t.answer(0);
    expect(t.sent).toHaveLength(1);
    expect(t.ended).toEqual(['NOTIFY could not be sent']);
  });

  it('a mailbox that disappeared ends it with reason=noresource and no body', async () => {
    const t = harness();
    t.setBody(undefined);
    t.sub.refresh(600);
    expect(t.sent).toEqual([{ subscriptionState: 'terminated;reason=noresource', body: undefined }]);
  });

  it('shutdown sends the final NOTIFY at once, even past a pending one; drop sends nothing', async () => {
    const t = harness();
    t.sub.refresh(600);
    t.sub.shutdown('deactivated');
    expect(t.sent.map((n) => n.subscriptionState)).toEqual(['active;expires=600', 'terminated;reason=deactivated']);
    const u = harness();
    u.sub.drop();
    u.sub.update();
    expect(u.sent).toEqual([]);
    expect(u.sub.state).toBe('ended');
    expect(u.clock.pending).toBe(0);
  });
});
