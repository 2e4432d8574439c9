import { describe, expect, it } from 'vitest';
import { simulate } from '../../dialplan/simulator/index.ts';

const OFFICE = new URL('./small-office.ts', import.meta.url).pathname;

describe('small office: extensions 1000-1099', () => {
  it('extension answers: bridged, then hung up', async () => {
    const r = await simulate(OFFICE, { call: { to: '1005' }, endpoints: { '1005': { answerAfter: 5, talk: 40 } } });
    expect(r.outcome).toMatchObject({ result: 'ok', end: 'hangup', dialplan: 'small-office' });
    expect(r.ops).toEqual(['dial', 'hangup']);
    expect(r.trace[0]!.result).toEqual({ status: 'answered', by: '1005', talkSeconds: 40, endedBy: 'callee' });
    expect(r.elapsed).toBe(45);
  });

  it('extension busy -> voicemail with cause 486 in the Request-URI (RFC 4458)', async () => {
    const r = await simulate(OFFICE, { call: { to: '1005' }, endpoints: { '1005': 'busy' } });
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1005', cause: 486, ruri: 'sip:voicemail@vm.pbx.local;target=sip:1005%40pbx.local;cause=486' });
    expect(r.ops).toEqual(['dial', 'voicemail']);
    expect(r.vars).toEqual({ missed: 'busy' });
  });

  it('extension does not answer in 20 s -> voicemail with cause 408', async () => {
    const r = await simulate(OFFICE, { call: { to: '1099' }, endpoints: { '1099': 'no-answer' } });
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1099', cause: 408, at: 20 });
    expect(r.logs).toEqual(['to voicemail {"ext":"1099","status":"no-answer"}']);
  });

  it('unregistered extension -> voicemail with cause 503', async () => {
    const r = await simulate(OFFICE, { call: { to: '1042' } });
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '1042', cause: 503 });
  });

  it('caller hangs up while the extension rings: no voicemail, a clean end', async () => {
    const r = await simulate(OFFICE, { call: { to: '1005' }, endpoints: { '1005': 'no-answer' }, caller: { hangupAfter: 7 } });
    expect(r.outcome).toMatchObject({ result: 'ok', end: 'caller-hangup' });
    expect(r.end).toEqual({ kind: 'caller-hangup', at: 7 });
    expect(r.ops).toEqual(['dial']);
  });

  it('numbers outside the plan are rejected with 404', async () => {
    for (const to of ['999', '1100', '01000']) {
      const r = await simulate(OFFICE, { call: { to } });
      expect(r.end, to).toMatchObject({ kind: 'reject', code: 404 });
    }
  });

  it('inbound direct dial-in reaches the extension; an unknown DID is rejected', async () => {
    const direct = await simulate(OFFICE, { call: { to: '+493012341042', direction: 'inbound' }, endpoints: { '1042': 'answer' } });
    expect(direct.trace[0]!.args).toMatchObject({ targets: [{ kind: 'user', user: '1042' }] });
    expect(direct.end).toMatchObject({ kind: 'hangup' });
    const unknown = await simulate(OFFICE, { call: { to: '+499999', direction: 'inbound' } });
    expect(unknown.end).toMatchObject({ kind: 'reject', code: 404 });
  });

  it('national number goes out via the carrier with the main number as caller ID', async () => {
    const r = await simulate(OFFICE, { call: { to: '0301234567' }, endpoints: { '+49301234567': 'busy' } });
    expect(r.trace[0]!.args).toMatchObject({ targets: [{ kind: 'number', number: '+49301234567', trunk: 'carrier' }], callerId: { number: '+493012345600' }, timeout: 60 });
    expect(r.end).toMatchObject({ kind: 'reject', code: 486 });
  });

  it('routes 2000, 7000 and 8000 to the sales group, the support queue and the conference', async () => {
    const sales = await simulate(OFFICE, { call: { to: '2000' }, endpoints: { '1011': 'answer' } });
    expect(sales.vars).toEqual({ answeredBy: '1011' });
    const support = await simulate(OFFICE, { call: { to: '7000' }, endpoints: { '1041': 'answer' } });
    expect(support.ops.slice(0, 3)).toEqual(['answer', 'play', 'hold']);
    const conf = await simulate(OFFICE, { call: { to: '8000' }, caller: { dtmf: ['4711'] } });
    expect(conf.ops).toContain('conference');
  });
});
