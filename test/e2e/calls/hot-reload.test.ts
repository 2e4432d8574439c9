// Hot reload during a call: editing the dialplan file activates the new version for the next call
// while the call in progress finishes on the version it started with.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSipp } from '../../sipp/sipp.ts';
import { PASSWORDS } from '../pbx/support/pbx-harness.ts';
import { callerScenario, startCallHarness } from './support/call-harness.ts';

const version = (v: string, sleep: number) => `import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => {
  await call.answer();
  call.log('${v} started', { id: call.id });
  await call.sleep(${sleep});
  call.log('${v} finished', { id: call.id });
  return call.hangup();
});
`;

describe('hot reload', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hot-reload-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the call in progress finishes on the old version, the next call runs the new one', async () => {
    const h = await startCallHarness({ main: version('v1', 6) });
    try {
      const scenario = callerScenario(dir, 'wait-bye', '', 'wait-bye');
      const call = () => startSipp({ scenario, remote: h.engine.hostport, service: '200', authUser: '1001', authPassword: PASSWORDS['1001']! }).then((r) => r.done);
      const first = call();
      const started1 = await h.waitLog(/v1 started/);
      await h.writeDialplan('main', version('v2', 0));
      expect(h.logs.join('\n')).not.toMatch(/v1 finished/); // the edit landed while call 1 was running
      const second = await call();
      expect(second.exitCode, second.errors || second.stdout).toBe(0);
      const r1 = await first;
      expect(r1.exitCode, r1.errors || r1.stdout).toBe(0);
      const id1 = /"id":"([^"]+)"/.exec(started1)![1];
      const finished1 = await h.waitLog(/v1 finished/);
      expect(finished1).toContain(id1);
      const started2 = await h.waitLog(/v2 started/);
      expect(started2).not.toContain(id1);
      expect(h.logs.filter((l) => /v2 (started|finished)/.test(l)).join('\n')).not.toContain(id1);
    } finally {
      await h.stop();
    }
  });
});
