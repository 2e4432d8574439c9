import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledDialplan } from '../../compiler/compile.ts';
import { FakePbx, simulateOn, type SimResult } from '../../simulator/index.ts';
import { compileEach, tempDialplans } from '../../testing/temp-dialplans.ts';
import { observed, usingSandbox } from '../../testing/sandbox-use.ts';
import { createSandbox, type SandboxOptions } from '../index.ts';
import type { CallHost, OpReply } from '../../host/call-host.ts';
import { party } from '../../host/call-info.ts';

// Frozen mode (the default): calls share one context whose built-ins are frozen, and each call gets
// its own instance of the dialplan's modules. These tests hold it to what a fresh context per call
// gives: nothing one call does is seen by another, and each call's clock, random numbers, console
// and module state are its own even while calls interleave.
const t = tempDialplans({
  'meddle.ts': `import { dialplan } from '@pbx/dialplan';
const g = globalThis as unknown as Record<string, unknown>;
let loads = 0;
loads++;
function attempt(what: string, f: () => void): string {
  try { f(); return what + ': changed'; } catch (e) { return what + ': ' + (e as Error).name; }
}
export default dialplan(async (call) => {
  const before = { loads, global: typeof g['leak'], proto: typeof (Array.prototype as unknown as Record<string, unknown>)['leak'], json: JSON.parse('{"a":1}'), stackLimit: (Error as unknown as { stackTraceLimit: number }).stackTraceLimit };
  call.log('before', before);
  const tried = [
    attempt('global', () => { g['leak'] = call.id; }),
    attempt('Array.prototype', () => { (Array.prototype as unknown as Record<string, unknown>)['leak'] = call.id; }),
    attempt('JSON.parse', () => { JSON.parse = () => 'meddled'; }),
    attempt('Math.random', () => { Math.random = () => 0; }),
    attempt('Date', () => { g['Date'] = null; }),
    attempt('delete Object.keys', () => { delete (Object as unknown as Record<string, unknown>)['keys']; }),
    attempt('Error.stackTraceLimit', () => { (Error as unknown as { stackTraceLimit: number }).stackTraceLimit = 0; }),
    attempt('Object.prototype.toString', () => { Object.prototype.toString = () => 'x'; }),
    attempt('async function prototype', () => { (Object.getPrototypeOf(async () => undefined) as Record<string, unknown>)['leak'] = 1; }),
    attempt('generator prototype', () => { (Object.getPrototypeOf(Object.getPrototypeOf((function* () {})())) as Record<string, unknown>)['leak'] = 1; }),
    attempt('array iterator prototype', () => { (Object.getPrototypeOf([][Symbol.iterator]()) as Record<string, unknown>)['leak'] = 1; }),
    attempt('indirect eval var', () => { (0, eval)('var leaked = 1'); }),
  ];
  call.log('tried', { tried });
  return call.hangup();
});`,
  'overrides.ts': `import { dialplan } from '@pbx/dialplan';
class NotFound extends Error {
  constructor(what: string) { super(what + ' not found'); this.name = 'NotFound'; }
}
class Invalid extends TypeError {
  constructor() { super('bad'); this.name = 'Invalid'; this.message = 'bad input'; }
}
export default dialplan(async (call) => {
  const e = new NotFound('1001');
  const i = new Invalid();
  const money = { cents: 150 } as { cents: number; toString(): string; valueOf(): number };
  money.toString = function () { return (this.cents / 100).toFixed(2); };
  money.valueOf = function () { return this.cents; };
  function Legacy(this: { kind: string }) { this.kind = 'legacy'; }
  Legacy.prototype.toString = function () { return 'Legacy!'; };
  const legacy = new (Legacy as unknown as new () => object)();
  call.log('overrides', {
    error: String(e), errorIs: e instanceof NotFound && e instanceof Error, invalid: String(i),
    money: String(money), sum: +money + 1, legacy: String(legacy),
    protoNameUnchanged: Error.prototype.name, regexpStatic: typeof (RegExp as unknown as Record<string, unknown>)['$1'],
  });
  return call.hangup();
});`,
  'throws-at-load.ts': `import { dialplan } from '@pbx/dialplan';
const table: Record<string, string> = {};
if (!table['x']) throw new Error('bad config');
export default dialplan(async (call) => call.hangup());`,
  'loops-at-load.ts': `import { dialplan } from '@pbx/dialplan';
let n = 0;
for (;;) n++;
export default dialplan(async (call) => call.hangup());`,
  'bridged.ts': `import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => {
  const r = await call.dial('1002');
  call.log('dialed', { status: r.status });
  if (r.status === 'answered') return call.hangup();
  return call.reject(480);
});`,
  'interleave.ts': `import { dialplan } from '@pbx/dialplan';
let mine = '';
export default dialplan(async (call) => {
  mine = call.id; // module state: another call's instance has its own
  const seen: unknown[] = [];
  for (let i = 0; i < 4; i++) {
    seen.push([Date.now(), globalThis.Date.now(), new Date().toISOString(), Math.random(), mine]);
    console.log('step', i, call.id);
    await call.sleep(1);
  }
  call.log('seen', { seen });
  return call.hangup();
});`,
});
const dp: Record<string, CompiledDialplan> = {};
beforeAll(async () => {
  Object.assign(dp, await compileEach(t, ['meddle', 'overrides', 'interleave', 'throws-at-load', 'loops-at-load', 'bridged'], { typecheck: false }));
});
afterAll(() => t.cleanup());

const limits: Partial<SandboxOptions> = { cpuLimitMs: 200, memoryLimitMb: 32, contextMode: 'frozen', log: () => undefined };


describe('frozen context', () => {
  it('a call cannot change built-ins or the global object, and the next call finds them as they were', async () => {
    await usingSandbox(createSandbox(dp['meddle']!, limits), async (sb) => {
      for (let i = 0; i < 3; i++) {
        const r = await simulateOn(sb, { call: { to: '1', id: `call-${i}` } });
        expect(r.outcome).toMatchObject({ result: 'ok', end: 'hangup' });
        expect(r.logs[0]).toBe('before {"loads":1,"global":"undefined","proto":"undefined","json":{"a":1},"stackLimit":10}');
        const { tried } = JSON.parse(r.logs[1]!.slice('tried '.length)) as { tried: string[] };
        // Every attempt throws: ESM code is strict, so a write to a frozen object is an error, not a no-op.
        for (const line of tried) expect(line).toMatch(/: TypeError$/);
        expect(tried).toHaveLength(12);
      }
      expect(sb.stats()).toMatchObject({ kills: 0, isolateAlive: true });
    });
  });

  it('code that assigns over an inherited built-in property (error names, toString) still works', async () => {
    for (const contextMode of ['frozen', 'per-call'] as const) {
      const r = await usingSandbox(createSandbox(dp['overrides']!, { ...limits, contextMode }), (sb) => simulateOn(sb, { call: { to: '1' } }));
      expect(r.outcome, contextMode).toMatchObject({ result: 'ok', end: 'hangup' });
      const logged = JSON.parse(r.logs[0]!.slice('overrides '.length)) as Record<string, unknown>;
      expect(logged, contextMode).toMatchObject({
        error: 'NotFound: 1001 not found',
        errorIs: true,
        invalid: 'Invalid: bad input',
        money: '1.50',
        sum: 151,
        legacy: 'Legacy!',
        protoNameUnchanged: 'Error',
      });
      // The legacy RegExp statics (the last match of whoever ran a regex) are gone in frozen mode.
      expect(logged['regexpStatic'], contextMode).toBe(contextMode === 'frozen' ? 'undefined' : 'string');
    }
  });

  it('interleaved calls each see their own clock, random numbers, console and module state', async () => {
    const scenarios = [
      { at: '2025-05-01T12:00:00Z', call: { to: '1', id: 'call-a' } },
      { at: '2031-01-01T00:00:00Z', call: { to: '1', id: 'call-b' } },
      { at: '2025-05-01T12:00:00Z', call: { to: '1', id: 'call-c' } },
    ];
    // Each call alone, in a context of its own: what it must see when it shares the frozen context.
    const alone: SimResult[] = [];
    for (const s of scenarios) alone.push(await usingSandbox(createSandbox(dp['interleave']!, { ...limits, contextMode: 'per-call', spareContexts: 0 }), (sb) => simulateOn(sb, s)));
    await usingSandbox(createSandbox(dp['interleave']!, limits), async (sb) => {
      const together = await Promise.all(scenarios.map((s) => simulateOn(sb, s, new FakePbx())));
      for (let i = 0; i < scenarios.length; i++) expect(observed(together[i]!), scenarios[i]!.call.id).toEqual(observed(alone[i]!));
    });
    const steps = (r: SimResult) => (JSON.parse(r.logs.find((l) => l.startsWith('seen '))!.slice('seen '.length)) as { seen: [number, number, string, number, string][] }).seen;
    const a = steps(alone[0]!);
    expect(a[0]!.slice(0, 3)).toEqual([Date.parse('2025-05-01T12:00:00Z'), Date.parse('2025-05-01T12:00:00Z'), '2025-05-01T12:00:00.000Z']);
    expect(a[3]![0]).toBe(Date.parse('2025-05-01T12:00:03Z'));
    expect(a.map((s) => s[4])).toEqual(['call-a', 'call-a', 'call-a', 'call-a']);
    expect(steps(alone[1]!)[0]![0]).toBe(Date.parse('2031-01-01T00:00:00Z'));
    expect(a.map((s) => s[3])).not.toEqual(steps(alone[2]!).map((s) => s[3])); // seeded per call id
    expect(alone[0]!.logs.filter((l) => l.startsWith('step'))).toHaveLength(4);
  });

  it("module code that throws or runs away while a call's instance is made fails that call only; the context stays", async () => {
    await usingSandbox(createSandbox(dp['throws-at-load']!, limits), async (sb) => {
      for (let i = 0; i < 2; i++) {
        const r = await simulateOn(sb, { call: { to: '1', id: `t-${i}` } });
        expect(r.outcome).toMatchObject({ result: 'error', message: "dialplan 'throws-at-load' could not run: bad config", fallback: 'rejected 480' });
      }
      expect(sb.stats()).toMatchObject({ kills: 0, isolateAlive: true, calls: 0 });
    });
    await usingSandbox(createSandbox(dp['loops-at-load']!, limits), async (sb) => {
      const runs = await Promise.all([0, 1].map((i) => simulateOn(sb, { call: { to: '1', id: `l-${i}` } })));
      for (const r of runs) {
        expect(r.outcome).toMatchObject({
          result: 'timedOut',
          message: "dialplan 'loops-at-load' ran for more than 200 ms of CPU without awaiting an operation; the call was stopped (other calls are unaffected)",
          fallback: 'rejected 480',
        });
      }
      expect(sb.stats()).toMatchObject({ kills: 0, isolateAlive: true, calls: 0 });
    });
  });

  it('a reply that says the call is gone spares the hangup() round trip, with the same outcome', async () => {
    const ops: string[] = [];
    const logs: string[] = [];
    const host = (gone: boolean): CallHost => ({
      op: (_id, op, args) => {
        ops.push(op);
        if (op === 'log') logs.push((args as { msg: string }).msg);
        if (op === 'dial') return Promise.resolve({ ok: true, value: { status: 'answered', by: '1002' }, t: 0, ...(gone ? { gone: 'caller' as const } : {}) } as OpReply<never>);
        if (op === 'hangup') return Promise.resolve({ ok: false, error: { code: 'hangup', by: 'caller', message: 'the caller hung up' }, t: 0 } as OpReply<never>);
        return Promise.resolve({ ok: true, value: null, t: 0 } as OpReply<never>);
      },
    });
    const info = (id: string) => ({ id, from: party('1001', 'pbx.test'), to: party('1002', 'pbx.test'), requestUri: 'sip:1002@pbx.test', dialed: '1002', direction: 'internal' as const, headers: {}, startedAt: 0 });
    await usingSandbox(createSandbox(dp['bridged']!, limits), async (sb) => {
      const before = await sb.run(info('old-way'), host(false));
      expect(ops.filter((o) => o !== 'log')).toEqual(['dial', 'hangup']);
      ops.length = 0;
      const now = await sb.run(info('new-way'), host(true));
      expect(ops.filter((o) => o !== 'log')).toEqual(['dial']);
      expect(now).toMatchObject({ result: 'ok', end: 'caller-hangup' });
      expect({ ...now, callId: 'x' }).toEqual({ ...before, callId: 'x' });
      expect(logs).toEqual(['dialed', 'dialed']);
    });
  });
});
