// A dialplan version whose isolate is killed while one of its calls is bridged: the runaway call
// (answered, then looping) is hung up, and the bridged call keeps talking (the 'keep-bridge'
// fallback) until its caller hangs up, when the PBX ends the other leg too.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSippMessages, SCENARIO_DIR, startSipp } from '../../sipp/sipp.ts';
import { PASSWORDS } from '../pbx/support/pbx-harness.ts';
import { callerScenario, sippPhone, startCallHarness } from './support/call-harness.ts';

describe('a killed dialplan and its bridged calls', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kill-bridge-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the bridge of an answered call when another call on the same isolate is killed', async () => {
    const h = await startCallHarness({
      main: `import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => {
  // A loop after an await: only the watchdog can stop it, by killing the isolate (every call on it).
  if (call.dialed === '907') { await call.answer(); for (;;) {} }
  await call.dial('1002');
  return call.hangup();
});
`,
    }, { dialplan: { enabled: true, cpuLimitMs: 300 } });
    try {
      // 1002 answers and waits (up to 30 s) for the BYE.
      const uas = join(dir, 'uas-long.xml');
      writeFileSync(uas, readFileSync(join(SCENARIO_DIR, 'uas-answer.xml'), 'utf8').replace('<recv request="BYE" timeout="10000"', '<recv request="BYE" timeout="30000"'));
      const callee = await sippPhone(h, '1002', uas);
      const call = (service: string, scenario: string, keys: Record<string, string> = {}) =>
        startSipp({ scenario, remote: h.engine.hostport, service, authUser: '1001', authPassword: PASSWORDS['1001']!, keys, timeoutMs: 40_000 });
      // The bridged call talks for 8 s, then its caller hangs up.
      const bridged = await call('908', callerScenario(dir, 'talk', '  <pause milliseconds="8000"/>'));
      await new Promise((r) => setTimeout(r, 2000)); // answered and bridged by now
      const runaway = await (await call('907', callerScenario(dir, 'runaway', '', 'wait-bye'))).done;
      expect(runaway.exitCode, runaway.errors || runaway.stdout).toBe(0);
      await h.waitLog(/dialplan main timedOut/);
      await h.waitLog(/\(keep-bridge\)/);
      const b = await bridged.done;
      // The caller's own BYE got its 200: nobody hung up on it when the isolate died.
      expect(b.exitCode, b.errors || b.stdout).toBe(0);
      const c = await callee.done;
      expect(c.exitCode, c.errors || c.stdout).toBe(0);
      expect(parseSippMessages(c.messages).some((m) => m.direction === 'received' && m.method === 'BYE')).toBe(true);
    } finally {
      await h.stop();
    }
  }, 90_000);
});
