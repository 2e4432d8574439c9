// Broken dialplans on real calls: one that does not type-check, loops before and after an await,
// allocates without bound, or reaches for require/process/the network/the host. Each is refused
// or killed with a message that says why, its caller gets the fallback, and a call running on a
// healthy dialplan at the same time completes normally.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSipp, type SippResult } from '../../sipp/sipp.ts';
import { PASSWORDS } from '../pbx/support/pbx-harness.ts';
import { callerScenario, startCallHarness } from './support/call-harness.ts';

const dp = (body: string) => `import { dialplan } from '@pbx/dialplan';\nexport default dialplan(async (call) => {\n${body}\n});\n`;

const DIALPLANS = {
  good: dp(`await call.answer(); await call.sleep(2); call.log('good call done'); return call.hangup();`),
  typeerr: dp(`const n: number = 'not a number'; call.log(String(n)); return call.hangup();`),
  spin: dp(`for (;;) {}`),
  spinlater: dp(`await call.answer(); for (;;) {}`),
  // 32 MB per step: the 64 MB heap limit is hit long before the CPU limit.
  hog: dp(`const keep: number[][] = []; for (;;) keep.push(new Array(4_000_000).fill(0.5));`),
  // Bundling refuses host modules outright.
  requirefs: `import { dialplan } from '@pbx/dialplan';
import { readFileSync } from 'node:fs';
export default dialplan(async (call) => { call.log(String(readFileSync)); return call.hangup(); });
`,
  // At run time: whatever a dialplan digs for in its global scope is not there.
  escape: dp(`
  const g = globalThis as unknown as Record<string, unknown>;
  const tries: Record<string, () => unknown> = {
    require: () => (g['req' + 'uire'] as (m: string) => unknown)('node:fs'),
    process: () => (g['pro' + 'cess'] as { pid: number }).pid,
    fetch: () => (g['fe' + 'tch'] as (u: string) => unknown)('http://127.0.0.1:1/'),
    constructor: () => (Function('return this')() as Record<string, unknown>)['process'] ?? 'no process',
    wasm: () => g['WebAssembly'] ?? 'no WebAssembly',
    sab: () => g['SharedArrayBuffer'] ?? 'no SharedArrayBuffer',
  };
  const out: Record<string, string> = {};
  for (const [k, f] of Object.entries(tries)) {
    try { out[k] = 'reached: ' + String(f()); } catch (e) { out[k] = 'refused: ' + (e as Error).message; }
  }
  call.log('escape attempts', out);
  return call.reject(403);`),
};

const ROUTES = { '100': 'good', '901': 'typeerr', '902': 'spin', '903': 'spinlater', '904': 'hog', '905': 'escape', '906': 'requirefs' };

describe('broken dialplans on real calls', () => {
  const dir = mkdtempSync(join(tmpdir(), 'broken-dialplans-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('each is refused or killed with a clear message while a call on a healthy dialplan completes', async () => {
    const h = await startCallHarness(DIALPLANS, { dialplan: { enabled: true, routes: ROUTES, cpuLimitMs: 1000, memoryLimitMb: 64 } });
    try {
      // The type error was refused at load with file:line:col; the others are active.
      await h.waitLog(/typeerr\.ts:3:\d+ - error TS2322/);
      await h.waitLog(/requirefs\.ts:2:\d+ - error bundle: 'node:fs' cannot be imported/);
      const status = h.pbx.app.routing.dialplans!.status();
      expect(status.find((s) => s.name === 'typeerr')?.active).toBeNull();
      expect(status.find((s) => s.name === 'requirefs')?.active).toBeNull();
      expect(status.filter((s) => s.active).map((s) => s.name).sort()).toEqual(['escape', 'good', 'hog', 'spin', 'spinlater']);

      const call = (service: string, scenario: string, keys: Record<string, string> = {}) =>
        startSipp({ scenario, remote: h.engine.hostport, service, authUser: '1001', authPassword: PASSWORDS['1001']!, keys }).then((r) => r.done);
      const waitBye = callerScenario(dir, 'wait-bye', '', 'wait-bye');
      const good = call('100', waitBye);
      const bad = await Promise.all([
        call('901', 'uac-invite-auth-expect-code', { expected_code: '480' }),
        call('902', 'uac-invite-auth-expect-code', { expected_code: '480' }),
        call('903', waitBye),
        call('904', 'uac-invite-auth-expect-code', { expected_code: '480' }),
        call('905', 'uac-invite-auth-expect-code', { expected_code: '403' }),
        call('906', 'uac-invite-auth-expect-code', { expected_code: '480' }),
      ]);
      bad.forEach((r: SippResult, i) => expect(r.exitCode, `call ${i}: ${r.errors || r.stdout}`).toBe(0));
      const g = await good;
      expect(g.exitCode, g.errors || g.stdout).toBe(0);
      await h.waitLog(/good call done/);

      const logs = h.logs.join('\n');
      expect(logs).toMatch(/no active dialplan 'typeerr'/);
      expect(logs).toMatch(/no active dialplan 'requirefs'/);
      // CPU watchdog, before and after an await; the memory limit; each names the dialplan.
      expect(logs).toMatch(/dialplan spin timedOut: .*(CPU|time)/i);
      expect(logs).toMatch(/dialplan spinlater timedOut: .*(CPU|time)/i);
      expect(h.logs.filter((l) => / hog|hog /.test(l)).join('\n')).toMatch(/dialplan hog (disposed|error|timedOut): .*(memory|heap)/i);
      const escape = /escape attempts (\{.*\})/.exec(logs);
      expect(escape, 'the escape dialplan logged its attempts').not.toBeNull();
      const attempts = JSON.parse(escape![1]!) as Record<string, string>;
      for (const [k, v] of Object.entries(attempts)) expect(v, k).toMatch(/^refused: |^reached: no /);
      // The healthy dialplan's isolate is untouched.
      expect(h.pbx.app.routing.dialplans!.status().find((s) => s.name === 'good')?.active?.kills).toBe(0);
    } finally {
      await h.stop();
    }
  });
});
