import { describe, expect, it } from 'vitest';
import { simulate } from '../../dialplan/simulator/index.ts';

const QUEUE = new URL('./hold-music.ts', import.meta.url).pathname;
const call = { to: '7000', direction: 'inbound' as const };

describe('support queue: hold with music', () => {
  it('the caller is put on hold with music while the agents ring; one answers', async () => {
    const r = await simulate(QUEUE, { call, endpoints: { '1040': 'busy', '1041': { answerAfter: 5, talk: 120 } } });
    expect(r.ops).toEqual(['answer', 'play', 'hold', 'dial', 'hangup']);
    expect(r.trace[2]!.args).toEqual({ music: 'jazz' });
    expect(r.trace[3]!.args).toMatchObject({ ringback: { music: 'jazz' }, holdMusic: 'jazz', timeout: 15 });
    expect(r.vars).toEqual({ agent: '1041' });
  });

  it('no agent in three rounds: off hold, an apology, then the support mailbox', async () => {
    const r = await simulate(QUEUE, { call, endpoints: { '1040': 'no-answer', '1041': 'busy' } });
    expect(r.ops).toEqual(['answer', 'play', 'hold', 'dial', 'sleep', 'dial', 'sleep', 'dial', 'sleep', 'unhold', 'play', 'voicemail']);
    expect(r.logs).toEqual([1, 2, 3].map((round) => `no agent free {"round":${round},"status":"busy"}`));
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1050', cause: 408 });
    expect(r.elapsed).toBe(2 + 3 * (15 + 10) + 2);
  });

  it('a caller who gives up while on hold ends the run cleanly', async () => {
    const r = await simulate(QUEUE, { call, endpoints: { '1040': 'no-answer' }, caller: { hangupAfter: 30 } });
    expect(r.outcome).toMatchObject({ result: 'ok', end: 'caller-hangup' });
    expect(r.ops).toEqual(['answer', 'play', 'hold', 'dial', 'sleep', 'dial']);
  });
});
