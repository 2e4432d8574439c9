import { describe, expect, it } from 'vitest';
import { DtmfReceiver } from './dtmf-receiver.ts';
import { rfc4733 } from '../codecs/dtmf/index.ts';
import { DtmfSchedule } from './dtmf-schedule.ts';

const ev = (event: number, duration: number, end = false) => {
  const b = Buffer.alloc(4);
  rfc4733.encodeInto({ event, end, volume: 10, duration }, b, 0);
  return b;
};

describe('DtmfReceiver', () => {
  it('reports a digit once at its first End packet, with its duration', () => {
    const rx = new DtmfReceiver(8000);
    const out = [
      ...rx.onPacket(1000, ev(5, 160), 0),
      ...rx.onPacket(1000, ev(5, 320), 20),
      ...rx.onPacket(1000, ev(5, 800, true), 40),
      ...rx.onPacket(1000, ev(5, 800, true), 41),
      ...rx.onPacket(1000, ev(5, 800, true), 42),
    ];
    expect(out).toEqual([{ digit: '5', durationMs: 100 }]);
  });

  it('reports an event whose End packets were lost when the next one starts or it goes stale', () => {
    const rx = new DtmfReceiver(8000, 500);
    rx.onPacket(1000, ev(11, 400), 0);
    expect(rx.onPacket(5000, ev(10, 160), 200)).toEqual([{ digit: '#', durationMs: 50 }]);
    expect(rx.poll(300)).toBeUndefined();
    expect(rx.poll(800)).toEqual({ digit: '*', durationMs: 20 });
  });
});

describe('DtmfSchedule', () => {
  it('paces digits as tone ticks and gap ticks, then resolves', async () => {
    const s = new DtmfSchedule(20);
    const done = s.queue('1#', 100, 40);
    const steps = [];
    for (let i = 0; i < 20; i++) {
      const st = s.next();
      if (!st) break;
      steps.push(st.kind === 'tone' ? `${st.digit}${st.first ? '<' : ''}${st.last ? '>' : ''}` : '_');
    }
    expect(steps.join(' ')).toBe('1< 1 1 1 1> _ _ #< # # # #> _ _');
    await done;
    expect(() => s.queue('x', 100, 40)).toThrow(/not a DTMF digit/);
  });
});
