import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../dialplan/simulator/index.ts';
import { simulateApp } from '../test-support/simulate-app.ts';

const ROOM = 'conference-room/main.ts';
const OPEN = 'conference-room/testdata/open-room.ts';
const join = (dtmf: (string | null)[], more: Omit<Scenario, 'call' | 'caller'> = {}, hangupAfter?: number): Scenario => ({
  call: { to: '800' },
  caller: { dtmf, ...(hangupAfter !== undefined && { hangupAfter }) },
  ...more,
});
const plays = (r: { trace: { op: string; args: unknown }[] }) => r.trace.filter((t) => t.op === 'play').map((t) => (t.args as { prompts: unknown[] }).prompts);

describe('conference room', () => {
  it('the participant PIN joins as a participant, with wait music, the limit and end-with-moderator', async () => {
    const r = await simulateApp(ROOM, join(['1234'], { conferences: { conference: { seconds: 300, endedBy: 'caller' } } }));
    expect(r.ops).toEqual(['answer', 'collect', 'conference', 'hangup']);
    expect(r.trace[1]!.args).toEqual({ prompts: ['conf-getpin'], max: 4, min: 1, timeout: 10, interDigitTimeout: 3, terminators: '#' });
    expect(r.trace[2]!.args).toEqual({ room: 'conference', moderator: false, muted: false, waitMusic: 'default', maxMembers: 20, endWhenModeratorLeaves: true });
    expect(r.vars).toEqual({ conference: 'participant, 300s, ended by caller' });
  });

  it('the moderator PIN joins as the moderator; # ends a PIN early', async () => {
    const r = await simulateApp(ROOM, join(['4321#']));
    expect(r.trace[1]!.result).toEqual({ digits: '4321', endedBy: 'max' });
    expect(r.trace[2]!.args).toMatchObject({ moderator: true });
    const early = await simulateApp(ROOM, join(['12#', '1234']));
    expect(early.trace[1]!.result).toEqual({ digits: '12', endedBy: 'terminator' });
    expect(plays(early)).toEqual([['conf-invalidpin']]);
  });

  it('a wrong PIN: "that PIN is invalid", asked again, then the right one', async () => {
    const r = await simulateApp(ROOM, join(['9999', '1234']));
    expect(r.ops).toEqual(['answer', 'collect', 'play', 'collect', 'conference', 'hangup']);
    expect(plays(r)).toEqual([['conf-invalidpin']]);
  });

  it('three wrong PINs (or silence): a message, goodbye, never in the room', async () => {
    const r = await simulateApp(ROOM, join(['1111', null, '2222']));
    expect(r.ops).toEqual(['answer', 'collect', 'play', 'collect', 'collect', 'play', 'hangup']);
    expect(plays(r)).toEqual([['conf-invalidpin'], ['confbridge-pin-bad', 'goodbye']]);
    expect(r.vars).toEqual({ conference: 'denied: pin' });
  });

  it('a full room: "that conference is full", goodbye', async () => {
    const r = await simulateApp(ROOM, join(['1234'], { conferences: { conference: { full: true } } }));
    expect(r.ops).toEqual(['answer', 'collect', 'conference', 'play', 'hangup']);
    expect(plays(r)).toEqual([['conf-full', 'goodbye']]);
    expect(r.vars).toEqual({ conference: 'denied: full' });
  });

  it('the moderator ended the room: "the leader has left", goodbye', async () => {
    const r = await simulateApp(ROOM, join(['1234'], { conferences: { conference: { seconds: 90, endedBy: 'moderator' } } }));
    expect(plays(r)).toEqual([['conf-leaderhasleft', 'goodbye']]);
    expect(r.vars).toEqual({ conference: 'participant, 90s, ended by moderator' });
  });

  it('the caller leaving the room ends the call cleanly', async () => {
    const r = await simulateApp(ROOM, join(['1234'], {}, 100));
    expect(r.outcome).toMatchObject({ result: 'ok', end: 'caller-hangup' });
    expect(r.trace[2]!.result).toMatchObject({ status: 'left', endedBy: 'caller' });
  });

  it('a room without PINs joins at once; no wait music; its own "full" prompt', async () => {
    const r = await simulateApp(OPEN, { call: { to: '801' } });
    expect(r.ops).toEqual(['answer', 'conference', 'hangup']);
    expect(r.trace[1]!.args).toEqual({ room: 'lobby', moderator: false, muted: false, waitMusic: null, maxMembers: 2, endWhenModeratorLeaves: false });
    const full = await simulateApp(OPEN, { call: { to: '801' }, conferences: { lobby: { full: true } } });
    expect(plays(full)).toEqual([['lobby/full']]);
  });
});
