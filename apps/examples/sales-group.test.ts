import { describe, expect, it } from 'vitest';
import { simulate } from '../../dialplan/simulator/index.ts';

const SALES = new URL('./sales-group.ts', import.meta.url).pathname;
const call = { to: '2000', from: '1001', fromName: 'Alice' };

describe('sales ring group', () => {
  it('rings the three desks in parallel; the first to answer wins', async () => {
    const r = await simulate(SALES, { call, endpoints: { '1010': { answerAfter: 8 }, '1011': { answerAfter: 4, talk: 60 }, '1012': 'busy' } });
    expect(r.trace[0]!.args).toMatchObject({
      strategy: 'parallel',
      timeout: 20,
      targets: [{ user: '1010' }, { user: '1011' }, { user: '1012' }],
      callerId: { name: 'Sales: Alice' },
    });
    expect(r.trace[0]!.result).toMatchObject({ status: 'answered', by: '1011' });
    expect(r.vars).toEqual({ answeredBy: '1011' });
    expect(r.ops).toEqual(['dial', 'hangup']);
  });

  it('nobody at the desks: the mobile rings and confirms with a key press', async () => {
    const r = await simulate(SALES, { call, endpoints: { '1010': 'no-answer', '+491701234567': { answerAfter: 6, talk: 30 } } });
    expect(r.ops).toEqual(['dial', 'dial', 'hangup']);
    expect(r.trace[1]!.args).toMatchObject({ targets: [{ kind: 'number', number: '+491701234567', trunk: 'carrier', confirm: 'sales/press-1' }], timeout: 25 });
    expect(r.vars).toEqual({ answeredBy: '+491701234567' });
    expect(r.logs).toEqual(['sales desks missed {"status":"no-answer"}']);
  });

  it("the mobile's own voicemail picks up but never confirms: sales mailbox, cause 408", async () => {
    const r = await simulate(SALES, { call, endpoints: { '1010': 'no-answer', '+491701234567': { answerAfter: 2, confirms: false } } });
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '2000', cause: 408 });
    expect(r.elapsed).toBe(20 + 25);
  });

  it('everyone busy: sales mailbox with cause 486', async () => {
    const r = await simulate(SALES, { call, endpoints: { '1010': 'busy', '1011': 'busy', '1012': 'busy', '+491701234567': 'busy' } });
    expect(r.end).toMatchObject({ kind: 'voicemail', mailbox: '2000', cause: 486 });
    expect(r.elapsed).toBe(1);
  });
});
