import { afterAll, describe, expect, it } from 'vitest';
import { compileDialplan } from '../../compiler/compile.ts';
import { simulateOn } from '../../simulator/index.ts';
import { tempDialplans } from '../../testing/temp-dialplans.ts';
import { createSandbox } from '../index.ts';

// The unsafe sandbox is a debugging aid only (no isolation, no limits); this checks it still runs
// the same bundle with the same results, so stepping through a dialplan in it is representative.
const t = tempDialplans({
  'hello.ts': `import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => {
  const r = await call.dial(call.dialed, { timeout: 20 });
  call.vars.r = String(Math.random());
  return r.status === 'answered' ? call.hangup() : call.voicemail(call.dialed, { cause: 486 });
});`,
});
afterAll(() => t.cleanup());

describe('unsafe (debug) sandbox', () => {
  it('gives the same result as the isolated one', async () => {
    const r = await compileDialplan(t.path('hello.ts'), { typecheck: false });
    if (!r.ok) throw new Error(r.message);
    const results = [];
    for (const kind of ['unsafe', 'isolated'] as const) {
      const sb = createSandbox(r.dialplan, { log: () => undefined }, kind);
      try {
        results.push(await simulateOn(sb, { call: { to: '1005', id: 'same' }, endpoints: { '1005': 'busy' } }));
      } finally {
        await sb.dispose();
      }
    }
    expect(results[0]!.end).toMatchObject({ kind: 'voicemail', cause: 486 });
    expect(results[0]).toEqual(results[1]);
  });
});
