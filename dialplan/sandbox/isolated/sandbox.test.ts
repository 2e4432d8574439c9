import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledDialplan } from '../../compiler/compile.ts';
import { FakePbx, simulate, simulateOn } from '../../simulator/index.ts';
import { compileEach, tempDialplans, until } from '../../testing/temp-dialplans.ts';
import { createSandbox, type ContextMode } from '../index.ts';

// Type checking is off here on purpose: these dialplans do what the checker would refuse, to show
// the sandbox itself holds.
const t = tempDialplans({
  'probe.ts': `import { dialplan } from '@pbx/dialplan';
const g = globalThis as unknown as Record<string, unknown>;
export default dialplan(async (call) => {
  const seen: Record<string, string> = {};
  for (const name of ['require', 'process', 'module', 'Buffer', 'fetch', 'XMLHttpRequest', 'WebSocket', 'setTimeout',
    'setInterval', 'setImmediate', 'queueMicrotask', 'WebAssembly', 'SharedArrayBuffer', 'Atomics', '__pbxHost', '__pbxEnv', '__pbxRealm', '__pbxBundle', 'ivm'])
    seen[name] = typeof g[name];
  const Fn = (call.play as unknown as { constructor: FunctionConstructor }).constructor;
  seen.viaFunction = String(Fn('try { return typeof process + "/" + typeof require } catch (e) { return "threw" }')());
  try { seen.indirectEval = String((0, eval)('typeof process')); } catch (e) { seen.indirectEval = String(e); }
  try { const spec = 'node:' + 'fs'; await import(spec); seen.dynamicImport = 'loaded'; } catch (e) { seen.dynamicImport = String(e); }
  call.log('probe', seen);
  return call.hangup();
});`,
  'require.ts': `import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => {
  const req = (globalThis as unknown as { require: (m: string) => unknown }).require;
  req('node:child_process');
  return call.hangup();
});`,
  'clock.ts': `import { dialplan } from '@pbx/dialplan';
const atLoad = Date.now();
export default dialplan(async (call) => {
  const t0 = Date.now();
  const r = [Math.random(), Math.random()];
  await call.sleep(5);
  const d = new Date();
  const real = d.constructor === Date && d instanceof Date && Object.prototype.toString.call(d) === '[object Date]' && Date.prototype.getTime.call(d) === d.getTime();
  call.log('clock', { atLoad, t0, iso: new Date().toISOString(), t1: Date.now(), now: call.now().toISOString(), r, epoch: new Date(0).toISOString(), asString: typeof Date(), real });
  return call.hangup();
});`,
  'bad-args.ts': `import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => {
  if (call.dialed === 'uri') await call.dial({ uri: 'http://evil.example/' });
  if (call.dialed === 'sleep') await call.sleep(-1);
  if (call.dialed === 'spin') for (;;) await call.sleep(0);
  return call.hangup();
});`,
  'throws.ts': `import { dialplan } from '@pbx/dialplan';
import { lookup } from './lib/lookup.ts';
export default dialplan(async (call) => call.transfer(lookup(call.dialed)));`,
  'lib/lookup.ts': `const table: Record<string, { ext: string }> = { '1': { ext: '1001' } };
export function lookup(key: string): string {
  return table[key]!.ext;
}`,
  'falls-through.ts': `import { dialplan, type Done } from '@pbx/dialplan';
export default dialplan(async (call) => { await call.answer(); return undefined as unknown as Done; });`,
  'no-default.ts': `export const nothing = 1;`,
  'finally.ts': `import { dialplan, Hangup } from '@pbx/dialplan';
export default dialplan(async (call) => {
  try {
    await call.play('long-announcement');
    return call.hangup();
  } catch (e) {
    call.log('caught', { hangup: e instanceof Hangup, by: (e as Hangup).by });
    await call.play('never-heard'); // throws Hangup again
    return call.hangup();
  } finally {
    call.vars.cleanup = 'ran';
  }
});`,
  'stuck.ts': `import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => { await call.answer(); await new Promise<never>(() => undefined); return call.hangup(); });`,
  'counter.ts': `import { dialplan } from '@pbx/dialplan';
let calls = 0;
export default dialplan(async (call) => { calls++; call.log('n', { calls }); return call.hangup(); });`,
});
const compiled: Record<string, CompiledDialplan> = {};
beforeAll(async () => {
  Object.assign(compiled, await compileEach(t, ['probe', 'require', 'clock', 'bad-args', 'throws', 'falls-through', 'no-default', 'finally', 'counter', 'stuck'], { typecheck: false }));
});
afterAll(() => t.cleanup());

const limits = { cpuLimitMs: 200, memoryLimitMb: 32 };
const run = (name: string, scenario: Parameters<typeof simulate>[1] = { call: { to: '1' } }, sandbox = {}) =>
  simulate(compiled[name]!, scenario, { sandbox: { ...limits, ...sandbox } });

describe('isolated sandbox: no way out', () => {
  it.each(['frozen', 'per-call', 'shared'] as const)('has no require, process, network, timers, WebAssembly or bootstrap handles (%s)', async (contextMode) => {
    const r = await run('probe', { call: { to: '1' } }, { contextMode });
    const seen = JSON.parse(r.logs[0]!.slice('probe '.length)) as Record<string, string>;
    for (const name of ['require', 'process', 'module', 'Buffer', 'fetch', 'XMLHttpRequest', 'WebSocket', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'WebAssembly', 'SharedArrayBuffer', 'Atomics', '__pbxHost', '__pbxEnv', '__pbxRealm', '__pbxBundle', 'ivm']) {
      expect(seen[name], name).toBe('undefined');
    }
    expect(seen['viaFunction']).toBe('undefined/undefined');
    expect(seen['indirectEval']).toBe('undefined');
    expect(seen['dynamicImport']).toBe('Error: Not supported');
    expect(r.outcome).toMatchObject({ result: 'ok', end: 'hangup' });
  });

  it('reaching for require fails the call with the place, and the caller gets the fallback', async () => {
    const r = await run('require');
    expect(r.outcome).toMatchObject({ result: 'error', message: 'TypeError: req is not a function (at require.ts:4:3)', fallback: 'rejected 480' });
    expect(r.end).toMatchObject({ kind: 'fallback', action: 'reject', code: 480 });
  });

  it('op arguments are validated on the host, with a clear message', async () => {
    const uri = await run('bad-args', { call: { to: 'uri' } });
    expect(uri.outcome.result === 'error' && uri.outcome.message).toMatch(/^Error: dial failed: targets\.0\.uri: must be a sip: or sips: URI \(at bad-args\.ts:3:\d+\)$/);
    const sleep = await run('bad-args', { call: { to: 'sleep' } });
    expect(sleep.outcome.result === 'error' && sleep.outcome.message).toContain('sleep failed: seconds: Number must be greater than or equal to 0');
  });

  it('an op loop stops at the per-call op limit', async () => {
    const r = await run('bad-args', { call: { to: 'spin' } }, { maxOpsPerCall: 50 });
    expect(r.outcome.result === 'error' && r.outcome.message).toContain('sleep failed: operation limit reached (50 per call)');
    expect(r.ops.length).toBe(50); // the 51st never reached the host
  });
});

describe('isolated sandbox: determinism', () => {
  it('Date is the logical clock and Math.random is seeded per call', async () => {
    const a = await run('clock', { at: '2025-05-01T12:00:00Z', call: { to: '1', id: 'call-a' } });
    const b = await run('clock', { at: '2025-05-01T12:00:00Z', call: { to: '1', id: 'call-a' } });
    const c = await run('clock', { at: '2025-05-01T12:00:00Z', call: { to: '1', id: 'call-c' } });
    const log = (r: typeof a) => JSON.parse(r.logs[0]!.slice('clock '.length)) as Record<string, unknown>;
    const start = Date.parse('2025-05-01T12:00:00Z');
    expect(log(a)).toMatchObject({ atLoad: start, t0: start, t1: start + 5000, iso: '2025-05-01T12:00:05.000Z', now: '2025-05-01T12:00:05.000Z', epoch: '1970-01-01T00:00:00.000Z', asString: 'string', real: true });
    expect(log(a)['r']).toEqual(log(b)['r']);
    expect(log(a)['r']).not.toEqual(log(c)['r']);
    expect(a.trace).toEqual(b.trace);
  });

  it('fresh module state per call (frozen and per-call modes); a shared context keeps it across calls (opt-in)', async () => {
    const counts = async (contextMode: ContextMode) => {
      const sb = createSandbox(compiled['counter']!, { ...limits, contextMode, log: () => undefined });
      try {
        const pbx = new FakePbx();
        const out: string[] = [];
        for (let i = 0; i < 3; i++) out.push((await simulateOn(sb, { call: { to: '1' } }, pbx)).logs[0]!);
        return out;
      } finally {
        await sb.dispose();
      }
    };
    expect(await counts('frozen')).toEqual(['n {"calls":1}', 'n {"calls":1}', 'n {"calls":1}']);
    expect(await counts('per-call')).toEqual(['n {"calls":1}', 'n {"calls":1}', 'n {"calls":1}']);
    expect(await counts('shared')).toEqual(['n {"calls":1}', 'n {"calls":2}', 'n {"calls":3}']);
  });
});

describe('isolated sandbox: outcomes are values', () => {
  it('a runtime error names the TypeScript file and line, through the source map', async () => {
    const r = await run('throws', { call: { to: '2' } });
    expect(r.outcome.result).toBe('error');
    if (r.outcome.result !== 'error') return;
    expect(r.outcome.message).toBe("TypeError: Cannot read properties of undefined (reading 'ext') (at lib/lookup.ts:3:22)");
    expect(r.outcome.stack).toMatch(/at lookup \(lib\/lookup\.ts:3:22\)\n\s+at throws\.ts:3:\d+/);
  });

  it('returning without ending the call is an error, and the answered caller is hung up', async () => {
    const r = await run('falls-through');
    expect(r.outcome).toMatchObject({ result: 'error', message: "dialplan 'falls-through' returned undefined without ending the call: every path must end with hangup(), reject(), voicemail() or transfer()", fallback: 'hangup' });
  });

  it('a module without a default export says how to write one', async () => {
    const r = await run('no-default');
    expect(r.outcome.result === 'error' && r.outcome.message).toContain('no default export function: write `export default dialplan(async (call) => { … })`');
  });

  it('the host can end a run whose dialplan awaits something that can never resolve', async () => {
    const sb = createSandbox(compiled['stuck']!, { ...limits, log: () => undefined });
    try {
      const pbx = new FakePbx();
      const run = simulateOn(sb, { call: { to: '1', id: 'stuck-1' } }, pbx);
      await until(() => pbx.call('stuck-1').answered);
      expect(sb.end('nope', 'x')).toBe(false);
      expect(sb.end('stuck-1', 'the caller hung up and the dialplan was not waiting on an operation')).toBe(true);
      const r = await run;
      expect(r.outcome).toMatchObject({ result: 'disposed', message: 'the caller hung up and the dialplan was not waiting on an operation', fallback: 'hangup' });
      expect(sb.inflight).toBe(0);
    } finally {
      await sb.dispose();
    }
  });

  it('a caller hangup rejects the pending and later ops with Hangup; finally still runs', async () => {
    const r = await run('finally', { call: { to: '1' }, caller: { hangupAfter: 1 } });
    expect(r.outcome).toMatchObject({ result: 'ok', end: 'caller-hangup', ended: false });
    expect(r.outcome.fallback).toBeUndefined();
    expect(r.logs).toEqual(['caught {"hangup":true,"by":"caller"}']);
    expect(r.vars).toEqual({ cleanup: 'ran' });
    expect(r.ops).toEqual(['answer', 'play']); // the second play throws without reaching the host
  });
});
