import { describe, expect, it } from 'vitest';
import type { OpArgs } from '../host/ops.ts';
import { planDial } from './dial-sim.ts';
import { DEFAULT_SIM_CONFIG, type EndpointBehavior } from './scenario.ts';

const dial = (targets: string[], o: Partial<OpArgs<'dial'>> = {}): OpArgs<'dial'> => ({
  targets: targets.map((user) => ({ kind: 'user', user })),
  strategy: 'parallel',
  timeout: 20,
  ringback: 'ring',
  callerId: null,
  holdMusic: 'default',
  maxDuration: null,
  ...o,
});
const plan = (args: OpArgs<'dial'>, endpoints: Record<string, EndpointBehavior>, callerLeavesIn = Infinity) =>
  planDial(args, endpoints, DEFAULT_SIM_CONFIG, callerLeavesIn);

describe('simulated dial', () => {
  it('parallel: the first answer wins, and the bridge lasts the talk time', () => {
    const p = plan(dial(['a', 'b', 'c']), { a: { answerAfter: 8 }, b: { answerAfter: 3, talk: 12 }, c: 'busy' });
    expect(p).toEqual({ seconds: 15, result: { status: 'answered', by: 'b', talkSeconds: 12, endedBy: 'callee' }, bridge: { from: 3, to: 15 }, callerGone: false });
  });

  it('parallel failures: busy beats no-answer beats rejected beats unavailable', () => {
    expect(plan(dial(['a', 'b']), { a: 'busy', b: 'no-answer' }).result).toEqual({ status: 'busy', sipCode: 486 });
    expect(plan(dial(['a', 'b']), { a: 'decline', b: 'no-answer' })).toMatchObject({ seconds: 20, result: { status: 'no-answer' } });
    expect(plan(dial(['a', 'b']), { a: 'decline' })).toMatchObject({ seconds: 1, result: { status: 'rejected', sipCode: 603 } });
    expect(plan(dial(['a']), {})).toMatchObject({ seconds: 0, result: { status: 'unavailable', sipCode: 480 } });
  });

  it('sequential: each target rings for its own timeout in turn', () => {
    const args = dial(['a', 'b', 'c'], { strategy: 'sequential', timeout: 10, targets: [{ kind: 'user', user: 'a', timeout: 5 }, { kind: 'user', user: 'b' }, { kind: 'user', user: 'c' }] });
    const p = plan(args, { a: 'no-answer', b: 'busy', c: { answerAfter: 2, talk: 1 } });
    expect(p).toMatchObject({ seconds: 5 + 0.5 + 2 + 1, result: { status: 'answered', by: 'c' } });
  });

  it('an answer after the timeout is no answer', () => {
    expect(plan(dial(['a'], { timeout: 5 }), { a: { answerAfter: 5 } })).toMatchObject({ seconds: 5, result: { status: 'no-answer' } });
  });

  it('confirm-by-keypress: a far end that never presses does not win', () => {
    const args = dial([], { targets: [{ kind: 'number', number: '+4917', confirm: 'press-1' }] });
    expect(plan(args, { '+4917': { answerAfter: 1, confirms: false } }).result).toEqual({ status: 'no-answer' });
    expect(plan(args, { '+4917': { answerAfter: 1 } })).toMatchObject({ result: { status: 'answered' }, bridge: { from: 1 + 2 + 0.5 } });
  });

  it('the caller hanging up while it rings, or during the bridge', () => {
    expect(plan(dial(['a']), { a: 'no-answer' }, 7)).toEqual({ seconds: 7, result: null, bridge: null, callerGone: true });
    expect(plan(dial(['a']), { a: { answerAfter: 2, talk: 60 } }, 10)).toMatchObject({ seconds: 10, result: { status: 'answered', talkSeconds: 8, endedBy: 'caller' }, callerGone: true });
  });

  it('maxDuration cuts the bridge', () => {
    expect(plan(dial(['a'], { maxDuration: 10 }), { a: { answerAfter: 1, talk: 60 } }).result).toMatchObject({ talkSeconds: 10, endedBy: 'limit' });
  });

  it('SIP URIs match by full URI or by user', () => {
    const args = dial([], { targets: [{ kind: 'uri', uri: 'sip:bob@example.com' }] });
    expect(plan(args, { bob: 'busy' }).result).toMatchObject({ status: 'busy' });
  });
});
