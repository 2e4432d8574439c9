import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledDialplan } from '../../compiler/compile.ts';
import { FakePbx, sim, simulate, simulateOn } from '../../simulator/index.ts';
import { compileEach, tempDialplans, until } from '../../testing/temp-dialplans.ts';
import { createSandbox } from '../index.ts';

const t = tempDialplans({
  'runaway.ts': `import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => {
  if (call.dialed === 'sync-loop') for (;;) {}
  if (call.dialed === 'alloc-early') { const a: number[][] = []; for (;;) a.push(new Array(100_000).fill(1)); }
  if (call.dialed === 'flood') for (;;) call.log('flood');
  await call.answer();
  if (call.dialed === 'loop') for (;;) {}
  if (call.dialed === 'alloc') { const a: number[][] = []; for (;;) a.push(new Array(100_000).fill(1)); }
  const r = await call.dial('bridge');
  return r.status === 'answered' ? call.hangup() : call.reject(486);
});`,
  'ringer.ts': `import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => {
  const r = await call.dial('1000', { timeout: 20 });
  return r.status === 'answered' ? call.hangup() : call.voicemail('1000', { cause: 408 });
});`,
  'ivr.ts': `import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => {
  const k = await call.menu({ prompt: 'menu', options: ['1', '2'] as const });
  await call.sleep(10);
  return k === '1' ? call.transfer('1001') : call.voicemail('1000');
});`,
});
const dp: Record<string, CompiledDialplan> = {};
beforeAll(async () => {
  Object.assign(dp, await compileEach(t, ['runaway', 'ringer', 'ivr']));
});
afterAll(() => t.cleanup());

const limits = { cpuLimitMs: 200, memoryLimitMb: 32, log: () => undefined };

describe('CPU and memory limits: the runaway is stopped, the host carries on', () => {
  it('an infinite loop before the first await stops that call only (sync timeout); the isolate stays', async () => {
    const sb = createSandbox(dp['runaway']!, limits);
    try {
      const r = await simulateOn(sb, { call: { to: 'sync-loop' } });
      expect(r.outcome).toMatchObject({
        result: 'timedOut',
        message: "dialplan 'runaway' ran for more than 200 ms of CPU without awaiting an operation; the call was stopped (other calls are unaffected)",
        fallback: 'rejected 480',
      });
      expect(r.end).toMatchObject({ kind: 'fallback', action: 'reject', code: 480 });
      expect(sb.stats()).toMatchObject({ kills: 0, isolateAlive: true });
      const next = await simulateOn(sb, { call: { to: 'x' }, endpoints: { bridge: 'answer' } });
      expect(next.outcome).toMatchObject({ result: 'ok', end: 'hangup' });
    } finally {
      await sb.dispose();
    }
  });

  it('an infinite loop after an await is killed by the watchdog; the answered caller is hung up', async () => {
    const sb = createSandbox(dp['runaway']!, limits);
    try {
      const r = await simulateOn(sb, { call: { to: 'loop' } });
      expect(r.outcome.result).toBe('timedOut');
      expect(r.outcome.result === 'timedOut' && r.outcome.message).toMatch(
        /^dialplan 'runaway' used \d+ ms of CPU without reaching an await point \(CPU watchdog\); its isolate was killed and the calls on it got the fallback$/,
      );
      expect(r.outcome.fallback).toBe('hangup');
      expect(sb.stats()).toMatchObject({ kills: 1 });
      // The next call gets a fresh isolate.
      const next = await simulateOn(sb, { call: { to: 'x' }, endpoints: { bridge: 'busy' } });
      expect(next.end).toMatchObject({ kind: 'reject', code: 486 });
    } finally {
      await sb.dispose();
    }
  });

  it('unbounded allocation hits the memory limit, before or after answering', async () => {
    const early = await simulate(dp['runaway']!, { call: { to: 'alloc-early' } }, { sandbox: { ...limits, cpuLimitMs: 5000 } });
    expect(early.outcome).toMatchObject({
      result: 'disposed',
      message: "dialplan 'runaway' exceeded its memory limit of 32 MB; its isolate was killed and the calls on it got the fallback",
      fallback: 'rejected 480',
    });
    const late = await simulate(dp['runaway']!, { call: { to: 'alloc' } }, { sandbox: { ...limits, cpuLimitMs: 5000 } });
    expect(late.outcome).toMatchObject({ result: 'disposed', fallback: 'hangup' });
  });

  it('a sync loop flooding log ops is stopped, and the host records no more than the op limit', async () => {
    const r = await simulate(dp['runaway']!, { call: { to: 'flood' } }, { sandbox: { ...limits, maxOpsPerCall: 1000 } });
    expect(r.outcome.result).toBe('timedOut');
    expect(r.logs.length).toBeLessThanOrEqual(1000);
  });

  it('several calls in flight on other dialplans complete normally while one is killed', async () => {
    await sim(async (s) => {
      const ringer = await s.load(dp['ringer']!, { sandbox: limits });
      const ivr = await s.load(dp['ivr']!, { sandbox: limits });
      const runaway = await s.load(dp['runaway']!, { sandbox: limits });
      const healthy = [
        s.start(ringer, { call: { to: '1000' }, endpoints: { '1000': { answerAfter: 5, talk: 20 } } }),
        s.start(ringer, { call: { to: '1000' }, endpoints: { '1000': 'no-answer' } }),
        s.start(ivr, { call: { to: '500' }, caller: { dtmf: ['1'] } }),
        s.start(ivr, { call: { to: '500' }, caller: { dtmf: ['2'] } }),
      ];
      // A call on the runaway's own dialplan, bridged when the isolate dies: it keeps its bridge.
      const bridged = s.start(runaway, { call: { to: 'x' }, endpoints: { bridge: { answerAfter: 1, talk: 100 } } });
      await s.advance(2);
      const loop = await s.start(runaway, { call: { to: 'loop' } }).result;
      expect(loop.outcome).toMatchObject({ result: 'timedOut', fallback: 'hangup' });
      const inBridge = await bridged.result;
      expect(inBridge.outcome).toMatchObject({ result: 'timedOut', fallback: 'keep-bridge' });
      expect(inBridge.end).toEqual({ kind: 'fallback', action: 'keep-bridge', at: 101 });
      // The others were untouched and are still in flight.
      for (const h of healthy) expect(s.pbx.call(h.info.id).end).toBeNull();
      await s.advance(60);
      const done = await Promise.all(healthy.map((h) => h.result));
      expect(done.map((r) => r.outcome.result)).toEqual(['ok', 'ok', 'ok', 'ok']);
      expect(done.map((r) => r.end?.kind)).toEqual(['hangup', 'voicemail', 'transfer', 'voicemail']);
      expect(runaway.stats().kills).toBe(1);
      expect(ringer.stats().kills + ivr.stats().kills).toBe(0);
    });
  });

  it('other dialplans keep running while a runaway spins (it has its own thread)', async () => {
    const sb = createSandbox(dp['runaway']!, { ...limits, cpuLimitMs: 1000 });
    try {
      const pbx = new FakePbx();
      let killed = false;
      const spinning = simulateOn(sb, { call: { to: 'loop', id: 'spinner' } }, pbx).then((r) => ((killed = true), r));
      await until(() => pbx.call('spinner').answered);
      const others = await Promise.all([
        simulate(dp['ringer']!, { call: { to: '1000' }, endpoints: { '1000': 'answer' } }, { sandbox: limits }),
        simulate(dp['ivr']!, { call: { to: '500' }, caller: { dtmf: ['1'] } }, { sandbox: limits }),
        simulate(dp['ivr']!, { call: { to: '500' } }, { sandbox: limits }),
      ]);
      expect(killed).toBe(false);
      expect(others.map((r) => r.outcome.result)).toEqual(['ok', 'ok', 'ok']);
      expect((await spinning).outcome.result).toBe('timedOut');
    } finally {
      await sb.dispose();
    }
  });
});
