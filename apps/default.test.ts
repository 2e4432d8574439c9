// The default dialplan (apps/default/main.ts), compiled the way the PBX does: its own folder is the
// import root. Lives outside apps/default/ because that folder is copied into a user's data directory.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Scenario, SimResult } from '../dialplan/simulator/index.ts';
import { tempDialplans } from '../dialplan/testing/temp-dialplans.ts';
import { APPS_DIR, promptsOf, simulateApp, simulateWithDirectory, soundExists } from './test-support/simulate-app.ts';

const DIR = APPS_DIR + 'default/';
const run = (s: Scenario) => simulateApp('main.ts', s, DIR);
const to = (number: string, more: Omit<Scenario, 'call'> = {}): Scenario => ({ call: { to: number }, ...more });
const plays = (r: SimResult) => r.trace.filter((t) => t.op === 'play').map((t) => (t.args as { prompts: unknown[] }).prompts);
const dialed = (r: SimResult) => r.trace.filter((t) => t.op === 'dial').map((t) => (t.args as { targets: { user?: string }[] }).targets.map((x) => x.user));

// 2025-01-06 is a Monday; Berlin is UTC+1 in January and UTC+2 in July.
const MONDAY_11_BERLIN = '2025-01-06T10:00:00Z';
const SATURDAY_11_BERLIN = '2025-01-11T10:00:00Z';

describe('default dialplan: extensions 1000-1099', () => {
  it('rings the extension for 20 s; answered, then hung up when the call ends', async () => {
    const r = await run(to('1005', { endpoints: { '1005': { answerAfter: 4, talk: 30 } } }));
    expect(r.ops).toEqual(['dial', 'hangup']);
    expect(r.trace[0]!.args).toMatchObject({ targets: [{ kind: 'user', user: '1005' }], timeout: 20, holdMusic: 'default' });
    expect(r.elapsed).toBe(34);
  });

  it.each([
    ['busy', 486],
    ['no-answer', 408],
    ['unavailable', 480],
    ['decline', 487],
  ] as const)('%s -> its voicemail with RFC 4458 cause %i', async (behaviour, cause) => {
    const r = await run(to('1042', { endpoints: { '1042': behaviour } }));
    expect(r.ops).toEqual(['dial', 'voicemail']);
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1042', cause, ruri: `sip:voicemail@vm.pbx.local;target=sip:1042%40pbx.local;cause=${cause}` });
  });

  it('no answer: voicemail after exactly the 20 s of ringing', async () => {
    const r = await run(to('1099', { endpoints: { '1099': 'no-answer' } }));
    expect(r.end).toMatchObject({ kind: 'voicemail', cause: 408, at: 20 });
  });

  it('an extension in the range that the PBX does not know (404): rejected with 404, no voicemail', async () => {
    const r = await simulateWithDirectory('main.ts', to('1077'), ['1001', '1002'], { root: DIR });
    expect(r.ops).toEqual(['dial', 'reject']);
    expect(r.end).toMatchObject({ kind: 'reject', code: 404 });
  });

  it('numbers outside the plan are rejected with 404 without ringing anything', async () => {
    for (const n of ['999', '1100', '01000', '2000', '501', '*44']) {
      const r = await run(to(n));
      expect(r.ops, n).toEqual(['reject']);
      expect(r.end, n).toMatchObject({ kind: 'reject', code: 404 });
    }
  });

  it('the caller hanging up while it rings ends the run without voicemail', async () => {
    const r = await run(to('1005', { endpoints: { '1005': 'no-answer' }, caller: { hangupAfter: 7 } }));
    expect(r.end).toEqual({ kind: 'caller-hangup', at: 7 });
  });
});

describe('default dialplan: sales ring group 600', () => {
  it('rings 1001 for 15 s, then 1002 for 20 s, one after the other', async () => {
    const r = await run(to('600', { endpoints: { '1001': 'no-answer', '1002': { answerAfter: 12, talk: 60 } } }));
    expect(r.trace[0]!.args).toMatchObject({ strategy: 'sequential', targets: [{ user: '1001', timeout: 15 }, { user: '1002', timeout: 20 }] });
    expect(r.trace[0]!.result).toMatchObject({ status: 'answered', by: '1002' });
    expect(r.elapsed).toBe(15 + 12 + 60);
    expect(r.vars).toEqual({ answeredBy: '1002' });
  });

  it('1001 answering first is not followed by 1002', async () => {
    const r = await run(to('600', { endpoints: { '1001': { answerAfter: 3, talk: 10 }, '1002': 'answer' } }));
    expect(r.trace[0]!.result).toMatchObject({ status: 'answered', by: '1001' });
    expect(r.elapsed).toBe(13);
  });

  it('1002 giving up after its 20 s: 1001\'s voicemail with cause 408 after 35 s', async () => {
    const r = await run(to('600', { endpoints: { '1001': 'no-answer', '1002': { answerAfter: 25 } } }));
    expect(r.ops).toEqual(['dial', 'voicemail']);
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1001', cause: 408, at: 35 });
  });

  it('both busy: still 1001\'s voicemail with cause 408 (the group\'s configured cause)', async () => {
    const r = await run(to('600', { endpoints: { '1001': 'busy', '1002': 'busy' } }));
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1001', cause: 408 });
  });
});

describe('default dialplan: main number 500 in office hours', () => {
  const open = (dtmf: (string | null)[], endpoints: Scenario['endpoints'] = {}): Scenario => ({ call: { to: '500' }, at: MONDAY_11_BERLIN, caller: { dtmf }, endpoints });

  it('offers the menu, and 1 rings the sales group', async () => {
    const r = await run(open(['1'], { '1001': 'answer' }));
    expect(r.ops).toEqual(['answer', 'collect', 'dial', 'hangup']);
    expect(r.trace[1]!.args).toMatchObject({ prompts: ['basic-pbx-ivr-main'], max: 4, terminators: '#' });
    expect(dialed(r)).toEqual([['1001', '1002']]);
    expect(r.trace[2]!.args).toMatchObject({ strategy: 'sequential' });
  });

  it('2 rings 1001 and 0 rings 1002, each with voicemail when missed', async () => {
    const two = await run(open(['2'], { '1001': 'busy' }));
    expect(dialed(two)).toEqual([['1001']]);
    expect(two.end).toMatchObject({ kind: 'voicemail', mailbox: '1001', cause: 486 });
    const zero = await run(open(['0'], { '1002': 'no-answer' }));
    expect(dialed(zero)).toEqual([['1002']]);
    expect(zero.end).toMatchObject({ kind: 'voicemail', mailbox: '1002', cause: 408 });
  });

  it('dial-by-extension: a caller types 1042', async () => {
    const r = await run(open(['1042'], { '1042': 'answer' }));
    expect(dialed(r)).toEqual([['1042']]);
    expect(r.vars).toEqual({ ivr: 'ext:1042' });
  });

  it('dial-by-extension: 1100 is no extension here; a PBX-unknown one is "not valid" too', async () => {
    const out = await run(open(['1100', '2'], { '1001': 'answer' }));
    expect(plays(out)).toEqual([['pbx-invalid']]);
    const unknown = await simulateWithDirectory('main.ts', open(['1077', '0'], { '1002': 'answer' }), ['1001', '1002'], { root: DIR });
    expect(plays(unknown)).toEqual([['pbx-invalid']]);
    expect(dialed(unknown)).toEqual([['1077'], ['1002']]);
  });

  it('a wrong key, then a right one', async () => {
    const r = await run(open(['5', '2'], { '1001': 'answer' }));
    expect(r.ops).toEqual(['answer', 'collect', 'play', 'collect', 'dial', 'hangup']);
    expect(plays(r)).toEqual([['pm-invalid-option']]);
  });

  it('three silences: the operator 1002', async () => {
    const r = await run(open([], { '1002': 'answer' }));
    expect(r.ops).toEqual(['answer', 'collect', 'collect', 'collect', 'dial', 'hangup']);
    expect(dialed(r)).toEqual([['1002']]);
    expect(r.vars).toMatchObject({ ivr: 'exhausted' });
  });

  it('three wrong keys: the operator 1002, and its voicemail if it does not answer', async () => {
    const r = await run(open(['5', '6', '7'], { '1002': 'no-answer' }));
    expect(plays(r)).toEqual([['pm-invalid-option'], ['pm-invalid-option']]);
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1002', cause: 408 });
  });
});

describe('default dialplan: office hours (Mon-Fri 09:00-17:00 Europe/Berlin)', () => {
  const firstOp = async (at: string) => (await run({ call: { to: '500' }, at, caller: { dtmf: ['9'] } })).ops[1];

  it.each([
    ['2025-01-06T07:59:00Z', 'Monday 08:59 CET', 'play'],
    ['2025-01-06T08:00:00Z', 'Monday 09:00 CET', 'collect'],
    ['2025-01-10T15:59:00Z', 'Friday 16:59 CET', 'collect'],
    ['2025-01-10T16:00:00Z', 'Friday 17:00 CET', 'play'],
    ['2025-01-11T10:00:00Z', 'Saturday 11:00', 'play'],
    ['2025-07-07T07:30:00Z', 'Monday 09:30 CEST (summer time)', 'collect'],
    ['2025-07-07T15:30:00Z', 'Monday 17:30 CEST (summer time)', 'play'],
  ])('%s (%s): %s', async (at, _local, op) => {
    expect(await firstOp(at)).toBe(op);
  });

  it('closed: the after-hours message, then 1001\'s voicemail with cause 480', async () => {
    const r = await run({ call: { to: '500' }, at: SATURDAY_11_BERLIN });
    expect(r.ops).toEqual(['answer', 'play', 'voicemail']);
    expect(plays(r)).toEqual([['im-sorry', 'vm-nobodyavail']]);
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1001', cause: 480 });
    expect(r.vars).toEqual({ afterHours: 'yes' });
  });
});

describe('default dialplan: conference 800, music on hold 700, echo test *43', () => {
  it('PIN 1234 joins as a participant, 4321 as the moderator (the room ends when they leave)', async () => {
    const p = await run(to('800', { caller: { dtmf: ['1234'] } }));
    expect(p.trace.find((t) => t.op === 'conference')!.args).toEqual({ room: 'conference-800', moderator: false, muted: false, waitMusic: 'default', maxMembers: 20, endWhenModeratorLeaves: true });
    const m = await run(to('800', { caller: { dtmf: ['4321'] } }));
    expect(m.trace.find((t) => t.op === 'conference')!.args).toMatchObject({ moderator: true });
  });

  it('a wrong PIN is asked again; three wrong PINs are refused; a full room is refused', async () => {
    const again = await run(to('800', { caller: { dtmf: ['4444', '1234'] } }));
    expect(again.ops).toEqual(['answer', 'collect', 'play', 'collect', 'conference', 'hangup']);
    const refused = await run(to('800', { caller: { dtmf: ['1', '2', '3'] } }));
    expect(refused.ops).not.toContain('conference');
    expect(refused.vars).toEqual({ conference: 'denied: pin' });
    const full = await run(to('800', { caller: { dtmf: ['1234'] }, conferences: { 'conference-800': { full: true } } }));
    expect(full.vars).toEqual({ conference: 'denied: full' });
  });

  it('700 holds with the default music until the caller hangs up', async () => {
    const r = await run(to('700', { caller: { hangupAfter: 90 } }));
    expect(r.ops).toEqual(['answer', 'hold', 'sleep', 'sleep']);
    expect(r.trace[1]!.args).toEqual({ music: 'default' });
    expect(r.end).toEqual({ kind: 'caller-hangup', at: 90 });
  });

  it('*43 explains the echo test and transfers to sip:echo@<the PBX domain>', async () => {
    const r = await run(to('*43'));
    expect(r.ops).toEqual(['answer', 'play', 'transfer']);
    expect(r.trace[1]!.args).toEqual({ prompts: ['demo-echotest'], bargeIn: true });
    expect(r.end).toMatchObject({ kind: 'transfer', target: { kind: 'uri', uri: 'sip:echo@pbx.local' } });
  });
});

describe('default dialplan: every prompt it plays exists', () => {
  it('in the media server sound folders', async () => {
    const calls: Scenario[] = [
      { call: { to: '500' }, at: MONDAY_11_BERLIN, caller: { dtmf: ['5', '1100', '7'] } }, // menu, invalid, not an extension, operator
      { call: { to: '500' }, at: SATURDAY_11_BERLIN },
      to('800', { caller: { dtmf: ['1', '2', '3'] } }),
      to('800', { caller: { dtmf: ['1234'] }, conferences: { 'conference-800': { full: true } } }),
      to('800', { caller: { dtmf: ['1234'] }, conferences: { 'conference-800': { endedBy: 'moderator' } } }),
      to('*43'),
    ];
    const prompts = new Set((await Promise.all(calls.map(run))).flatMap(promptsOf));
    expect(prompts.size).toBeGreaterThan(10);
    expect([...prompts].filter((p) => !soundExists(p))).toEqual([]);
  });
});

describe('default dialplan: a copy of the folder, edited', () => {
  const t = tempDialplans();
  afterAll(() => t.cleanup());
  /** apps/default copied elsewhere (as the PBX installs it) with `edits` applied to main.ts. */
  const edited = (name: string, edits: [string, string][]): string => {
    cpSync(DIR, t.path(name), { recursive: true });
    let text = readFileSync(DIR + 'main.ts', 'utf8');
    for (const [from, into] of edits) {
      expect(text, from).toContain(from);
      text = text.replace(from, into);
    }
    writeFileSync(t.path(`${name}/main.ts`), text);
    return t.path(`${name}/`);
  };
  const runIn = (dir: string, s: Scenario) => simulateApp('main.ts', s, dir);

  it('another time zone and a holiday move the office hours', async () => {
    const dir = edited('new-york', [
      ["timeZone: 'Europe/Berlin'", "timeZone: 'America/New_York'"],
      ['closedOn: [],', "closedOn: ['2025-07-04'],"],
    ]);
    const at = async (iso: string) => (await runIn(dir, { call: { to: '500' }, at: iso, caller: { dtmf: ['9'] } })).ops[1];
    expect(await at('2025-01-06T17:30:00Z')).toBe('collect'); // 12:30 in New York (18:30 in Berlin: closed there)
    expect(await at('2025-01-06T10:00:00Z')).toBe('play'); // 05:00 in New York
    expect(await at('2025-07-04T16:00:00Z')).toBe('play'); // Friday noon, Independence Day
    expect(await at('2025-07-03T16:00:00Z')).toBe('collect');
  });

  it('operator null hangs up with a goodbye when the tries run out', async () => {
    const dir = edited('no-operator', [["operator: '1002'", 'operator: null']]);
    const r = await runIn(dir, { call: { to: '500' }, at: MONDAY_11_BERLIN });
    expect(r.ops).toEqual(['answer', 'collect', 'collect', 'collect', 'play', 'hangup']);
    expect(plays(r)).toEqual([['vm-goodbye']]);
  });

  it('a menu key that leads back to the menu is cut off after a few rounds', async () => {
    const dir = edited('loop', [["'1': '600'", "'1': '500'"]]);
    const r = await runIn(dir, { call: { to: '500' }, at: MONDAY_11_BERLIN, caller: { dtmf: ['1', '1', '1', '1', '1', '1'] } });
    expect(r.ops.filter((op) => op === 'collect')).toHaveLength(5);
    expect(r.logs).toEqual(['routing loop {"number":"500","hops":5}']);
    expect(r.end).toMatchObject({ kind: 'hangup' });
  });
});
