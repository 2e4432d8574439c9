import { afterAll, describe, expect, it } from 'vitest';
import { scenarioSchema } from './scenario.ts';
import { FakePbx, sim, simulate } from './index.ts';
import { tempDialplans } from '../testing/temp-dialplans.ts';

const t = tempDialplans({
  'desk.ts': `import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => {
  call.log('from ' + call.from.user + ' via ' + (call.header('X-Trunk') ?? 'none'));
  await call.ring({ earlyMedia: true });
  await call.play('please-wait'); // early media: no answer
  const r = await call.dial(['1000', '1001'], { timeout: 15 });
  call.vars.status = r.status;
  return r.status === 'answered' ? call.hangup() : call.voicemail('1000');
});`,
});
afterAll(() => t.cleanup());
const DESK = t.path('desk.ts');

describe('simulator', () => {
  it('returns ops, trace with virtual times, logs, vars and the end', async () => {
    const r = await simulate(DESK, {
      call: { to: '100', from: '2001', headers: { 'X-Trunk': 'carrier' } },
      at: '2025-06-01T08:00:00Z',
      endpoints: { '1001': { answerAfter: 4, talk: 30 } },
    });
    expect(r.ops).toEqual(['ring', 'play', 'dial', 'hangup']);
    expect(r.trace.map((e) => e.at)).toEqual([0, 0, 2, 36]);
    expect(r.logs).toEqual(['from 2001 via carrier']);
    expect(r.vars).toEqual({ status: 'answered' });
    expect(r.end).toEqual({ kind: 'hangup', at: 36 });
    expect(r.elapsed).toBe(36);
  });

  it('the same scenario gives the same result (deterministic)', async () => {
    const s = { call: { to: '100', id: 'c1' }, endpoints: { '1000': 'busy' as const } };
    const [a, b] = await Promise.all([simulate(DESK, s), simulate(DESK, s)]);
    expect(a).toEqual(b);
  });

  it('manual clock: calls wait in flight until the test advances time', async () => {
    await sim(async (s) => {
      const sb = await s.load(DESK);
      const c = s.start(sb, { call: { to: '100' }, endpoints: { '1000': { answerAfter: 10, talk: 5 } } });
      await s.pbx.waiting(c.info.id);
      expect(s.pbx.call(c.info.id).trace.map((e) => e.op)).toEqual(['ring']); // play (2 s) is pending
      await s.advance(5);
      expect(s.pbx.call(c.info.id).end).toBeNull(); // ringing 1000
      await s.advance(20);
      const r = await c.result;
      expect(r.end).toEqual({ kind: 'hangup', at: 17 });
    });
  });

  it('manual clock: a caller hangup is an event even between ops', async () => {
    await sim(async (s) => {
      const sb = await s.load(DESK);
      const c = s.start(sb, { call: { to: '100' }, endpoints: { '1000': 'no-answer' }, caller: { hangupAfter: 6 } });
      await s.advance(30);
      const r = await c.result;
      expect(r.outcome).toMatchObject({ result: 'ok', end: 'caller-hangup' });
      expect(r.end).toEqual({ kind: 'caller-hangup', at: 6 });
    });
  });

  it('advance() needs a manual clock', async () => {
    await expect(new FakePbx().advance(1)).rejects.toThrow('clock: manual');
  });

  it('scenarios from JSON are validated', () => {
    expect(scenarioSchema.safeParse({ call: { to: '1' }, caller: { dtmf: ['12#', null] } }).success).toBe(true);
    const bad = scenarioSchema.safeParse({ call: { to: '1' }, caller: { dtmf: ['12a'] }, endpoints: { x: 'sometimes' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['endpoints.x', 'caller.dtmf.0']);
  });

  it('a dialplan that does not compile fails the test with its diagnostics', async () => {
    const bad = t.write('bad.ts', `import { dialplan } from '@pbx/dialplan';\nexport default dialplan(async (call) => { await call.answer(); });\n`);
    await expect(simulate(bad, { call: { to: '1' } })).rejects.toThrow(/bad\.ts:2:25 - error TS2345/);
  });
});
