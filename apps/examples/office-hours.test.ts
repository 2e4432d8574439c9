import { describe, expect, it } from 'vitest';
import { simulate } from '../../dialplan/simulator/index.ts';

const MAIN = new URL('./office-hours.ts', import.meta.url).pathname;
const inbound = { to: '+493012345600', direction: 'inbound' as const };
const SATURDAY_NIGHT = '2025-03-08T22:00:00+01:00';

describe('office hours with an after-hours IVR', () => {
  it('Monday 11:00 Berlin: reception rings', async () => {
    const r = await simulate(MAIN, { at: '2025-01-06T10:00:00Z', call: inbound, endpoints: { '1000': 'answer' } });
    expect(r.ops).toEqual(['dial', 'hangup']);
    expect(r.trace[0]!.args).toMatchObject({ targets: [{ user: '1000' }], timeout: 25 });
  });

  it('opening hours follow Berlin time across the DST change', async () => {
    // Friday 28 March (CET, UTC+1) 08:15 is closed, 08:45 is open; Monday 31 March (CEST, UTC+2) 08:45 is open.
    const at = async (iso: string) => (await simulate(MAIN, { at: iso, call: inbound, endpoints: { '1000': 'answer' } })).ops[0];
    expect(await at('2025-03-28T07:15:00Z')).toBe('answer');
    expect(await at('2025-03-28T07:45:00Z')).toBe('dial');
    expect(await at('2025-03-31T06:45:00Z')).toBe('dial');
    expect(await at('2025-03-28T14:30:00Z')).toBe('answer'); // Friday 15:30: closed since 15:00
  });

  it('a holiday on a weekday goes to the IVR', async () => {
    const r = await simulate(MAIN, { at: '2025-12-25T10:00:00+01:00', call: inbound, caller: { dtmf: ['0'] } });
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1000', cause: 480 });
  });

  it('after hours, 2 leaves a message for support', async () => {
    const r = await simulate(MAIN, { at: SATURDAY_NIGHT, call: inbound, caller: { dtmf: ['2'] } });
    expect(r.ops).toEqual(['answer', 'collect', 'voicemail']);
    expect(r.trace[1]!.args).toMatchObject({ prompts: ['ivr/closed', 'ivr/after-hours-options'], max: 1 });
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1050', cause: 480 });
    expect(r.vars).toEqual({ ivr: '2' });
  });

  it('after hours, an invalid key, then dial-by-extension 1042', async () => {
    const r = await simulate(MAIN, { at: SATURDAY_NIGHT, call: inbound, caller: { dtmf: ['9', '3', '1042'] }, endpoints: { '1042': { answerAfter: 5, talk: 10 } } });
    expect(r.ops).toEqual(['answer', 'collect', 'play', 'collect', 'collect', 'dial', 'hangup']);
    expect(r.trace[2]!.args).toEqual({ prompts: ['ivr/invalid'], bargeIn: false });
  });

  it('after hours, a bad extension twice ends in the reception mailbox with cause 404', async () => {
    const r = await simulate(MAIN, { at: SATURDAY_NIGHT, call: inbound, caller: { dtmf: ['3', '2000', '12'] } });
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1000', cause: 404 });
  });

  it('no input three times: the no-input prompt twice, then the reception mailbox with cause 408', async () => {
    const r = await simulate(MAIN, { at: SATURDAY_NIGHT, call: inbound });
    expect(r.ops).toEqual(['answer', 'collect', 'play', 'collect', 'play', 'collect', 'voicemail']);
    expect(r.trace.filter((t) => t.op === 'play').map((t) => t.args)).toEqual([
      { prompts: ['ivr/no-input'], bargeIn: false },
      { prompts: ['ivr/no-input'], bargeIn: false },
    ]);
    expect(r.end).toMatchObject({ kind: 'voicemail', cause: 408 });
    expect(r.vars).toEqual({ ivr: 'none' });
  });

  it('the caller hangs up in the menu: the run ends cleanly', async () => {
    const r = await simulate(MAIN, { at: SATURDAY_NIGHT, call: inbound, caller: { hangupAfter: 3 } });
    expect(r.outcome).toMatchObject({ result: 'ok', end: 'caller-hangup' });
    expect(r.end).toEqual({ kind: 'caller-hangup', at: 3 });
  });
});
