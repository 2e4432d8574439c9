import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../dialplan/simulator/index.ts';
import { simulateApp, simulateWithDirectory } from '../test-support/simulate-app.ts';

const MAIN = 'ivr-menu/main.ts';
const VARIANTS = 'ivr-menu/testdata/variants.ts';
const menu = (dtmf: (string | null)[], more: Omit<Scenario, 'call' | 'caller'> = {}): Scenario => ({ call: { to: '500' }, caller: { dtmf }, ...more });
const plays = (r: { trace: { op: string; args: unknown }[] }) => r.trace.filter((t) => t.op === 'play').map((t) => (t.args as { prompts: unknown[] }).prompts);

describe('IVR menu: keys', () => {
  it('1 rings the sales group in order, each member for its own time', async () => {
    const r = await simulateApp(MAIN, menu(['1'], { endpoints: { '1001': 'no-answer', '1002': { answerAfter: 5, talk: 60 } } }));
    expect(r.ops).toEqual(['answer', 'collect', 'dial', 'hangup']);
    expect(r.trace[1]!.args).toEqual({ prompts: ['basic-pbx-ivr-main'], max: 4, min: 1, timeout: 5, interDigitTimeout: 2, terminators: '#' });
    // A lone '1' (also the first digit of every extension) counts as the key once the caller pauses.
    expect(r.trace[1]!.result).toEqual({ digits: '1', endedBy: 'inter-digit-timeout' });
    expect(r.trace[2]!.args).toMatchObject({ strategy: 'sequential', targets: [{ user: '1001', timeout: 15 }, { user: '1002', timeout: 20 }] });
    expect(r.trace[2]!.result).toMatchObject({ status: 'answered', by: '1002' });
    expect(r.trace[2]!.at).toBe(2 + 0.5 + 2);
    expect(r.elapsed).toBe(4.5 + 15 + 5 + 60);
    expect(r.vars).toEqual({ ivr: '1', answeredBy: '1002' });
  });

  it('nobody in the sales group: 1001 gets a message with the configured cause 408, even when both were busy', async () => {
    const r = await simulateApp(MAIN, menu(['1'], { endpoints: { '1001': 'busy', '1002': 'busy' } }));
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1001', cause: 408 });
    expect(r.vars).toEqual({ ivr: '1', missed: 'busy' });
  });

  it('2 announces the transfer and rings 1003 for 25 s, then its voicemail with cause 408', async () => {
    const r = await simulateApp(MAIN, menu(['2'], { endpoints: { '1003': 'no-answer' } }));
    expect(r.ops).toEqual(['answer', 'collect', 'play', 'dial', 'voicemail']);
    expect(plays(r)).toEqual([['transfer']]);
    expect(r.trace[3]!.args).toMatchObject({ targets: [{ user: '1003' }], timeout: 25 });
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1003', cause: 408 });
  });

  it('9 says goodbye and hangs up', async () => {
    const r = await simulateApp(MAIN, menu(['9']));
    expect(r.ops).toEqual(['answer', 'collect', 'play', 'hangup']);
    expect(plays(r)).toEqual([['goodbye']]);
    expect(r.end).toMatchObject({ kind: 'hangup' });
  });

  it('0 rings the operator, whose busy line goes to voicemail with cause 486', async () => {
    const r = await simulateApp(MAIN, menu(['0'], { endpoints: { '1000': 'busy' } }));
    expect(r.trace[2]!.args).toMatchObject({ targets: [{ user: '1000' }] });
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1000', cause: 486 });
  });
});

describe('IVR menu: wrong keys and silence', () => {
  it('a wrong key: the invalid-input prompt, the menu again, then a valid key', async () => {
    const r = await simulateApp(MAIN, menu(['7', '9']));
    expect(r.ops).toEqual(['answer', 'collect', 'play', 'collect', 'play', 'hangup']);
    expect(plays(r)).toEqual([['pm-invalid-option'], ['goodbye']]);
    expect(r.logs[0]).toBe('ivr: invalid input {"digits":"7"}');
  });

  it('silence: the timeout prompt, the menu again, then a valid key', async () => {
    const r = await simulateApp(MAIN, menu([null, '9']));
    expect(r.ops).toEqual(['answer', 'collect', 'play', 'collect', 'play', 'hangup']);
    expect(plays(r)).toEqual([['vm-sorry'], ['goodbye']]);
    expect(r.trace[2]!.at).toBe(2 + 5); // the prompt, then 5 s of silence
  });

  it('three wrong keys: the operator (announced), no invalid prompt after the last one', async () => {
    const r = await simulateApp(MAIN, menu(['7', '8', '4'], { endpoints: { '1000': 'answer' } }));
    expect(r.ops).toEqual(['answer', 'collect', 'play', 'collect', 'play', 'collect', 'play', 'dial', 'hangup']);
    expect(plays(r)).toEqual([['pm-invalid-option'], ['pm-invalid-option'], ['transfer']]);
    expect(r.trace[7]!.args).toMatchObject({ targets: [{ user: '1000' }] });
    expect(r.vars).toMatchObject({ ivr: 'exhausted' });
  });

  it('three silences: the operator', async () => {
    const r = await simulateApp(MAIN, menu([], { endpoints: { '1000': 'no-answer' } }));
    expect(r.ops).toEqual(['answer', 'collect', 'play', 'collect', 'play', 'collect', 'play', 'dial', 'voicemail']);
    expect(plays(r)).toEqual([['vm-sorry'], ['vm-sorry'], ['transfer']]);
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1000', cause: 408 });
  });

  it('wrong keys and silences are counted apart: two of each still leave a try', async () => {
    const r = await simulateApp(MAIN, menu(['7', null, '8', null, '9']));
    expect(plays(r)).toEqual([['pm-invalid-option'], ['vm-sorry'], ['pm-invalid-option'], ['vm-sorry'], ['goodbye']]);
    expect(r.vars).toEqual({ ivr: '9' });
  });

  it('a caller who hangs up in the menu ends the run cleanly', async () => {
    const r = await simulateApp(MAIN, { call: { to: '500' }, caller: { hangupAfter: 4 } });
    expect(r.outcome).toMatchObject({ result: 'ok', end: 'caller-hangup' });
    expect(r.end).toEqual({ kind: 'caller-hangup', at: 4 });
  });
});

describe('IVR menu: dial-by-extension', () => {
  it('a full extension rings it (announced), with voicemail on busy', async () => {
    const r = await simulateApp(MAIN, menu(['1042'], { endpoints: { '1042': 'busy' } }));
    expect(r.ops).toEqual(['answer', 'collect', 'play', 'dial', 'voicemail']);
    expect(r.trace[1]!.result).toEqual({ digits: '1042', endedBy: 'max' });
    expect(r.trace[3]!.args).toMatchObject({ targets: [{ user: '1042' }], timeout: 20 });
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1042', cause: 486 });
    expect(r.vars).toEqual({ ivr: 'ext:1042', missed: 'busy' });
  });

  it('a number outside the pattern, or too short, is "not a valid extension"', async () => {
    const r = await simulateApp(MAIN, menu(['2042', '10#', '9']));
    expect(plays(r)).toEqual([['pbx-invalid'], ['pbx-invalid'], ['goodbye']]);
    expect(r.trace[3]!.result).toEqual({ digits: '10', endedBy: 'terminator' });
    expect(r.ops.filter((op) => op === 'dial')).toEqual([]);
  });

  it.each(['unavailable', 'rejected'] as const)('an extension the PBX does not know (404 as %s): "not a valid extension", then the menu again', async (status) => {
    const r = await simulateWithDirectory(MAIN, menu(['1099', '9']), ['1000', '1042'], { status });
    expect(r.ops).toEqual(['answer', 'collect', 'play', 'dial', 'play', 'collect', 'play', 'hangup']);
    expect(plays(r)).toEqual([['transfer'], ['pbx-invalid'], ['goodbye']]);
    expect(r.vars).toEqual({ ivr: 'ext:1099 9' });
  });
});

describe('IVR menu: submenus', () => {
  it('3 then 2 joins the team conference with its PIN', async () => {
    const r = await simulateApp(MAIN, menu(['3', '2', '2468']));
    expect(r.ops).toEqual(['answer', 'collect', 'collect', 'collect', 'conference', 'hangup']);
    expect(r.trace[2]!.args).toMatchObject({ prompts: ['vm-leavemsg', 'conf-placeintoconf'], timeout: 8 });
    expect(r.trace[4]!.args).toEqual({ room: 'team', moderator: false, muted: false, waitMusic: 'default', maxMembers: 10, endWhenModeratorLeaves: false });
    expect(r.vars).toMatchObject({ ivr: '3 2' });
  });

  it('3 then 1 leaves a message for 1003 (no cause: the caller chose voicemail)', async () => {
    const r = await simulateApp(MAIN, menu(['3', '1']));
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1003', cause: null });
  });

  it('* goes back to the main menu', async () => {
    const r = await simulateApp(MAIN, menu(['3', '*', '9']));
    expect(r.trace.filter((t) => t.op === 'collect').map((t) => (t.args as { prompts: string[] }).prompts[0])).toEqual(['basic-pbx-ivr-main', 'vm-leavemsg', 'basic-pbx-ivr-main']);
    expect(r.vars).toEqual({ ivr: '3 * 9' });
    expect(r.end).toMatchObject({ kind: 'hangup' });
  });
});

describe('IVR variants', () => {
  const strict = (dtmf: (string | null)[], more: Omit<Scenario, 'call' | 'caller'> = {}): Scenario => ({ call: { to: 'strict' }, caller: { dtmf }, ...more });

  it('without dial-by-extension the menu takes one key at once', async () => {
    const r = await simulateApp(VARIANTS, strict(['1042', '2']));
    expect(r.trace[1]!.args).toMatchObject({ prompts: ['strict/welcome', 'strict/options'], max: 1, terminators: '' });
    expect(r.trace[1]!.result).toEqual({ digits: '1', endedBy: 'max' });
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1001', cause: 302 });
  });

  it('one silence is all it allows: goodbye and hang up', async () => {
    const r = await simulateApp(VARIANTS, strict([]));
    expect(r.ops).toEqual(['answer', 'collect', 'play', 'hangup']);
    expect(plays(r)).toEqual([['vm-goodbye']]);
  });

  it('two wrong keys: its own invalid prompt once, then goodbye', async () => {
    const r = await simulateApp(VARIANTS, strict(['3', '4']));
    expect(plays(r)).toEqual([['strict/invalid'], ['vm-goodbye']]);
  });

  it('a submenu overrides the timeout and the invalid prompt', async () => {
    const r = await simulateApp(VARIANTS, strict(['1', '9', '2']));
    expect(r.trace[2]!.args).toMatchObject({ prompts: ['strict/submenu'], timeout: 3 });
    expect(plays(r)).toEqual([['strict/sub-invalid']]);
  });

  it('moving between menus is bounded by maxSteps', async () => {
    const r = await simulateApp(VARIANTS, strict(['1', '#', '1', '#', '1']));
    expect(r.vars).toEqual({ ivr: '1 # 1 #' });
    expect(r.logs).toEqual(['ivr: too many steps {"steps":4}']);
    expect(plays(r)).toEqual([['vm-goodbye']]);
    expect(r.end).toMatchObject({ kind: 'hangup' });
  });

  it('a custom action runs with the call', async () => {
    const r = await simulateApp(VARIANTS, strict(['5']));
    expect(r.end).toMatchObject({ kind: 'transfer', target: { kind: 'number', number: '+4930123456', trunk: 'carrier' } });
  });

  it('an extension without a mailbox: a missed call is hung up (the caller was answered by the menu)', async () => {
    const r = await simulateApp(VARIANTS, strict(['6']));
    expect(r.ops).toEqual(['answer', 'collect', 'dial', 'hangup']);
    expect(r.vars).toEqual({ ivr: '6', missed: 'unavailable' });
  });

  it('a configured extension that does not exist: hung up, not sent to a mailbox', async () => {
    const r = await simulateWithDirectory(VARIANTS, { call: { to: 'strict' }, caller: { dtmf: ['6'] } }, []);
    expect(r.ops).toEqual(['answer', 'collect', 'dial', 'hangup']);
    expect(r.vars).toEqual({ ivr: '6' });
  });

  it('extensions by range; # is a menu key there, so it does not end the number', async () => {
    const range = (dtmf: string[]): Scenario => ({ call: { to: 'range' }, caller: { dtmf }, endpoints: { '250': 'answer' } });
    const ext = await simulateApp(VARIANTS, range(['199', '250']));
    expect(ext.trace[1]!.args).toMatchObject({ max: 3, interDigitTimeout: 3, terminators: '' });
    expect(plays(ext)).toEqual([['pbx-invalid']]);
    expect(ext.trace.find((t) => t.op === 'dial')!.args).toMatchObject({ targets: [{ user: '250' }], timeout: 30 });
    const hash = await simulateApp(VARIANTS, range(['#']));
    expect(hash.ops).toEqual(['answer', 'collect', 'hangup']);
    const exhausted = await simulateApp(VARIANTS, range(['7', '7', '7']));
    expect(exhausted.end).toMatchObject({ kind: 'voicemail', mailbox: '200', cause: null });
  });
});
