import { describe, expect, it } from 'vitest';
import { UnsolicitedNotifier, type UnsolicitedTarget } from './unsolicited.ts';

describe('UnsolicitedNotifier', () => {
  it('keeps at most maxInFlight outstanding and sends a phone asked for twice meanwhile only once more', async () => {
    const sent: string[] = [];
    const answers: ((s: number) => void)[] = [];
    const failed: string[] = [];
    const n = new UnsolicitedNotifier({
      maxInFlight: 2,
      send: (t) => {
        sent.push(t.uri);
        return new Promise((r) => answers.push(r));
      },
      failed: (t, s) => failed.push(`${t.uri} ${s}`),
    });
    const to = (uri: string): UnsolicitedTarget => ({ mailbox: '1001', uri, nextHop: undefined });
    const tick = () => new Promise((r) => setImmediate(r));
    n.notify(to('sip:a'));
    n.notify(to('sip:b'));
    n.notify(to('sip:c'));
    n.notify(to('sip:a')); // a is outstanding: once more after its answer
    n.notify(to('sip:a'));
    expect(sent).toEqual(['sip:a', 'sip:b']);
    answers.shift()!(200);
    await tick();
    expect(sent).toEqual(['sip:a', 'sip:b', 'sip:c']);
    answers.shift()!(489);
    await tick();
    expect(sent).toEqual(['sip:a', 'sip:b', 'sip:c', 'sip:a']);
    answers.shift()!(200);
    answers.shift()!(200);
    await tick();
    expect(n.pending).toBe(0);
    expect(failed).toEqual(['sip:b 489']);
  });
});
