// The UAS core's 2xx / reliable-1xx retransmission schedule, on a clock the test fires by hand
// (on time, or late as when the engine itself lagged behind).
import { describe, expect, it } from 'vitest';
import type { Clock, TimerHandle } from '../util/clock.ts';
import type { EngineContext } from './context.ts';
import { Retransmitter } from './retransmit.ts';

class HandClock implements Clock {
  t = 0;
  private timers: { due: number; fn: (() => void) | undefined }[] = [];
  now(): number {
    return this.t;
  }
  setTimer(ms: number, fn: () => void): TimerHandle {
    const e: { due: number; fn: (() => void) | undefined } = { due: this.t + ms, fn };
    this.timers.push(e);
    return { cancel: () => void (e.fn = undefined) };
  }
  /** Move to `at` and run, in due order, every timer due by then (possibly late). */
  fireUntil(at: number): void {
    this.t = at;
    for (;;) {
      const next = this.timers.filter((e) => e.fn && e.due <= at).sort((a, b) => a.due - b.due)[0];
      if (!next) return;
      const fn = next.fn!;
      next.fn = undefined;
      fn();
    }
  }
}

function setup(due = () => true, saturated = () => false) {
  const clock = new HandClock();
  const sent: number[] = [];
  const ctx = {
    config: { timers: { t1: 500, t2: 4000 } }, clock, wireSend: () => void sent.push(clock.now()), loopSaturated: saturated,
  } as unknown as EngineContext;
  let gaveUp = 0;
  const r = new Retransmitter(ctx, Buffer.from('SIP/2.0 200 OK\r\n\r\n'), { protocol: 'udp', address: '127.0.0.1', port: 5060 }, 4000, {
    due,
    giveUp: () => void gaveUp++,
  });
  return { clock, sent, r, gaveUp: () => gaveUp };
}

describe('Retransmitter', () => {
  it('resends at T1, doubling up to the cap, and gives up at 64*T1', () => {
    const { clock, sent, gaveUp } = setup();
    for (let t = 0; t <= 32_000; t += 10) clock.fireUntil(t);
    expect(sent).toEqual([500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(gaveUp()).toBe(1);
  });

  it('a resend timer that fires late (the engine lagged) waits one more interval before resending', () => {
    const { clock, sent } = setup();
    clock.fireUntil(800); // due at 500, fired 300 ms late: the ACK may be queued unread
    expect(sent).toEqual([]);
    clock.fireUntil(1300); // the deferred one, on time
    expect(sent).toEqual([1300]);
    clock.fireUntil(2300); // next step (2T1), on time
    expect(sent).toEqual([1300, 2300]);
  });

  it('an on-time resend waits one interval too while the event loop is saturated', () => {
    let busy = true;
    const { clock, sent } = setup(undefined, () => busy);
    clock.fireUntil(500);
    expect(sent).toEqual([]);
    busy = false;
    clock.fireUntil(1000);
    expect(sent).toEqual([1000]);
  });

  it('late again straight after a deferral: resends anyway, so overload cannot silence it', () => {
    const { clock, sent } = setup();
    clock.fireUntil(800);
    clock.fireUntil(1600);
    expect(sent).toEqual([1600]);
  });

  it('sends nothing once the ACK came, and cancel stops both timers', () => {
    let waiting = true;
    const { clock, sent, r, gaveUp } = setup(() => waiting);
    clock.fireUntil(500);
    waiting = false;
    clock.fireUntil(2000);
    expect(sent).toEqual([500]);
    waiting = true;
    r.cancel();
    clock.fireUntil(40_000);
    expect([sent.length, gaveUp()]).toEqual([1, 0]);
  });
});
