import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledDialplan } from '../../compiler/compile.ts';
import { simulateOn, type SimResult } from '../../simulator/index.ts';
import { compileEach, tempDialplans } from '../../testing/temp-dialplans.ts';
import { observed, usingSandbox } from '../../testing/sandbox-use.ts';
import { createSandbox } from '../index.ts';

// Spare contexts are made (and usually loaded) before their call exists. These tests hold
// them to the promise of a fresh context per call: whatever a dialplan can observe is the same as
// in a context made for the call, or the spare is not used.
const t = tempDialplans({
  'plain.ts': `import { dialplan } from '@pbx/dialplan';
let calls = 0;
export default dialplan(async (call) => {
  calls++;
  call.log('seen', { calls, t0: Date.now(), r: [Math.random(), Math.random()], iso: new Date().toISOString() });
  await call.sleep(3);
  call.log('later', { t1: Date.now(), r: Math.random() });
  return call.hangup();
});`,
  'clock-at-load.ts': `import { dialplan } from '@pbx/dialplan';
const atLoad = Date.now();
export default dialplan(async (call) => { call.log('load', { atLoad, r: Math.random() }); return call.hangup(); });`,
  'random-at-load.ts': `import { dialplan } from '@pbx/dialplan';
const pick = Math.random();
export default dialplan(async (call) => { call.log('load', { pick, t: Date.now() }); return call.hangup(); });`,
  'throws-at-load.ts': `import { dialplan } from '@pbx/dialplan';
const table: Record<string, string> = {};
if (!table['x']) throw new Error('bad config');
export default dialplan(async (call) => call.hangup());`,
  'meddle.ts': `import { dialplan } from '@pbx/dialplan';
const g = globalThis as unknown as Record<string, unknown>;
let loads = 0;
loads++;
export default dialplan(async (call) => {
  const before = { loads, global: typeof g['leak'], proto: typeof (Array.prototype as unknown as Record<string, unknown>)['leak'], json: JSON.parse('{"a":1}') };
  call.log('before', before);
  g['leak'] = call.id;
  (Array.prototype as unknown as Record<string, unknown>)['leak'] = call.id;
  JSON.parse = () => 'meddled';
  return call.hangup();
});`,
  'loop.ts': `import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => {
  await call.answer();
  if (call.dialed === 'loop') for (;;) {}
  return call.hangup();
});`,
});
const dp: Record<string, CompiledDialplan> = {};
beforeAll(async () => {
  Object.assign(dp, await compileEach(t, ['plain', 'meddle', 'clock-at-load', 'random-at-load', 'throws-at-load', 'loop'], { typecheck: false }));
});
afterAll(() => t.cleanup());

// Spares belong to the per-call mode (a fresh context per call).
const limits = { cpuLimitMs: 200, memoryLimitMb: 32, contextMode: 'per-call' as const, log: () => undefined };
/** Spares only when warm() asks: the pool does not refill behind the test's back. */
const withSpares = { ...limits, spareContexts: 2, spareDelayMs: 3_600_000 };
const onDemand = { ...limits, spareContexts: 0 };
const at = '2025-05-01T12:00:00Z';


describe('spare contexts', () => {
  it('a spare serves one call, which sees the clock, random numbers and module state of a context made for it', async () => {
    const fresh: SimResult[] = [];
    await usingSandbox(createSandbox(dp['plain']!, onDemand), async (sb) => {
      for (let i = 0; i < 3; i++) fresh.push(await simulateOn(sb, { at, call: { to: '1', id: `call-${i}` } }));
      expect(sb.stats().spares).toBe(0);
    });
    await usingSandbox(createSandbox(dp['plain']!, withSpares), async (sb) => {
      for (let i = 0; i < 3; i++) {
        await sb.warm();
        expect(sb.stats().spares).toBe(2);
        const r = await simulateOn(sb, { at, call: { to: '1', id: `call-${i}` } });
        expect(sb.stats().spares).toBe(1); // this call took one; nothing refilled yet
        expect(observed(r)).toEqual(observed(fresh[i]!));
      }
    });
    expect(fresh.map((r) => r.logs[0])).toEqual([0, 1, 2].map(() => expect.stringContaining('"calls":1')));
    expect(JSON.parse(fresh[0]!.logs[0]!.slice('seen '.length))).toMatchObject({ t0: Date.parse(at), iso: '2025-05-01T12:00:00.000Z' });
    expect(fresh[0]!.logs[0]).not.toEqual(fresh[1]!.logs[0]); // seeded per call id
  });

  it('what one call does to globals, builtins and module state is not there for the next call', async () => {
    for (const o of [withSpares, onDemand]) {
      await usingSandbox(createSandbox(dp['meddle']!, o), async (sb) => {
        for (let i = 0; i < 3; i++) {
          await sb.warm();
          const r = await simulateOn(sb, { at, call: { to: '1', id: `call-${i}` } });
          expect(r.logs).toEqual(['before {"loads":1,"global":"undefined","proto":"undefined","json":{"a":1}}']);
        }
      });
    }
  });

  it('module code that reads the clock or Math.random while loading gets a context made for its call', async () => {
    for (const name of ['clock-at-load', 'random-at-load']) {
      const reference = await usingSandbox(createSandbox(dp[name]!, onDemand), (sb) => simulateOn(sb, { at, call: { to: '1', id: 'same' } }));
      await usingSandbox(createSandbox(dp[name]!, withSpares), async (sb) => {
        await sb.warm();
        expect(sb.stats().spares).toBe(2);
        const first = await simulateOn(sb, { at, call: { to: '1', id: 'same' } });
        expect(observed(first), name).toEqual(observed(reference));
        expect(sb.stats().spares, 'loaded spares are dropped').toBe(0);
        // From now on spares are made without the bundle; each call loads it with its own values.
        await sb.warm();
        expect(sb.stats().spares).toBe(2);
        const second = await simulateOn(sb, { at, call: { to: '1', id: 'same' } });
        expect(observed(second), name).toEqual(observed(reference));
        expect(sb.stats().spares).toBe(1);
      });
    }
    const clock = await usingSandbox(createSandbox(dp['clock-at-load']!, withSpares), async (sb) => (await sb.warm(), simulateOn(sb, { at, call: { to: '1' } })));
    expect(clock.logs[0]).toContain(`"atLoad":${Date.parse(at)}`);
  });

  it('module code that throws while loading: every call gets the error it always got, and no spares are kept', async () => {
    const reference = await usingSandbox(createSandbox(dp['throws-at-load']!, onDemand), (sb) => simulateOn(sb, { call: { to: '1', id: 'x' } }));
    expect(reference.outcome).toMatchObject({ result: 'error', message: "dialplan 'throws-at-load' could not run: bad config", fallback: 'rejected 480' });
    await usingSandbox(createSandbox(dp['throws-at-load']!, withSpares), async (sb) => {
      await sb.warm();
      expect(sb.stats()).toMatchObject({ spares: 0, kills: 0 });
      for (let i = 0; i < 2; i++) expect(observed(await simulateOn(sb, { call: { to: '1', id: 'x' } }))).toEqual(observed(reference));
    });
  });

  it('a killed isolate takes its spares; the next call gets a fresh isolate, which gets spares again', async () => {
    await usingSandbox(createSandbox(dp['loop']!, withSpares), async (sb) => {
      await sb.warm();
      const killed = await simulateOn(sb, { call: { to: 'loop' } });
      expect(killed.outcome).toMatchObject({ result: 'timedOut', fallback: 'hangup' });
      expect(sb.stats()).toMatchObject({ kills: 1, spares: 0, isolateAlive: false });
      const next = await simulateOn(sb, { call: { to: 'x' } });
      expect(next.outcome).toMatchObject({ result: 'ok', end: 'hangup' });
      await sb.warm();
      expect(sb.stats()).toMatchObject({ kills: 1, spares: 2, isolateAlive: true });
    });
  });

  it('a shared context has no spares', async () => {
    await usingSandbox(createSandbox(dp['plain']!, { ...withSpares, contextMode: 'shared' }), async (sb) => {
      await sb.warm();
      expect(sb.stats()).toMatchObject({ spares: 0, isolateAlive: true });
      const r = await simulateOn(sb, { at, call: { to: '1' } });
      expect(r.outcome).toMatchObject({ result: 'ok', end: 'hangup' });
    });
  });
});
