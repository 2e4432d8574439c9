import { describe, expect, it } from 'vitest';
import { simulate } from '../../dialplan/simulator/index.ts';

const CONF = new URL('./conference-room.ts', import.meta.url).pathname;
const call = { to: '8000' };

describe('PIN-protected conference', () => {
  it('the participant PIN joins room-8000 as a participant', async () => {
    const r = await simulate(CONF, { call, caller: { dtmf: ['4711'] }, conferences: { 'room-8000': { seconds: 300, endedBy: 'moderator' } } });
    expect(r.ops).toEqual(['answer', 'collect', 'conference', 'hangup']);
    expect(r.trace[2]!.args).toEqual({ room: 'room-8000', moderator: false, muted: false, waitMusic: 'default', maxMembers: 20, endWhenModeratorLeaves: true });
    expect(r.vars).toEqual({ conference: 'left after 300s (moderator)' });
  });

  it('a wrong PIN, then the moderator PIN', async () => {
    const r = await simulate(CONF, { call, caller: { dtmf: ['1234', '9999'] } });
    expect(r.ops).toEqual(['answer', 'collect', 'play', 'collect', 'conference', 'hangup']);
    expect(r.trace[2]!.args).toEqual({ prompts: ['conf/bad-pin'], bargeIn: false });
    expect(r.trace[4]!.args).toMatchObject({ moderator: true });
  });

  it('three wrong PINs: goodbye and hang up, never in the room', async () => {
    const r = await simulate(CONF, { call, caller: { dtmf: ['1111', '2222', '3333'] } });
    expect(r.ops).toEqual(['answer', 'collect', 'play', 'collect', 'play', 'collect', 'play', 'hangup']);
    expect(r.trace.at(-2)!.args).toEqual({ prompts: ['conf/goodbye'], bargeIn: false });
    expect(r.logs).toEqual(['conference PIN refused {"reason":"invalid"}']);
  });

  it('a full room is refused with a message', async () => {
    const r = await simulate(CONF, { call, caller: { dtmf: ['4711'] }, conferences: { 'room-8000': { full: true } } });
    expect(r.vars).toEqual({ conference: 'denied: full' });
    expect(r.ops).toEqual(['answer', 'collect', 'conference', 'play', 'hangup']);
  });

  it('the caller leaving the room ends the call cleanly', async () => {
    const r = await simulate(CONF, { call, caller: { dtmf: ['4711'], hangupAfter: 100 } });
    expect(r.outcome).toMatchObject({ result: 'ok', end: 'caller-hangup' });
    expect(r.trace[2]!.result).toMatchObject({ status: 'left', endedBy: 'caller' });
  });
});
