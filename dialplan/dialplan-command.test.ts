// The `pbx dialplan` command (cli/dialplan-command.ts) with captured output.
import { afterAll, describe, expect, it } from 'vitest';
import { readArgs } from '../cli/args.ts';
import { runDialplanCommand } from '../cli/dialplan-command.ts';
import { tempDialplans } from './testing/temp-dialplans.ts';

const EXAMPLES = new URL('../apps/examples/', import.meta.url).pathname;
const t = tempDialplans({ 'broken.ts': `import { dialplan } from '@pbx/dialplan';\nexport default dialplan(async (call) => { await call.answer(); });\n` });
afterAll(() => t.cleanup());

async function pbx(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runDialplanCommand(readArgs(['dialplan', ...argv]), { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

describe('pbx dialplan', () => {
  it('check: ok per dialplan, or the diagnostics with exit 1', async () => {
    const good = await pbx('check', EXAMPLES + 'sales-group.ts');
    expect(good.code).toBe(0);
    expect(good.out).toMatch(/^ok {3}sales-group {2}version [0-9a-f]{12}/);
    const bad = await pbx('check', t.dir);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('broken.ts:2:25 - error TS2345');
  });

  it('simulate: prints the trace, the end and the outcome', async () => {
    const r = await pbx('simulate', EXAMPLES + 'small-office.ts', '--to', '1005', '--endpoints', '1005=busy');
    expect(r.code).toBe(0);
    expect(r.out).toContain('dial ');
    expect(r.out).toContain('end:     {"kind":"voicemail","mailbox":"1005","cause":486');
    expect(r.out).toMatch(/outcome: ok \(voicemail\) {2}\[small-office [0-9a-f]{12}, 0\.5s virtual\]/);
    const json = await pbx('simulate', EXAMPLES + 'small-office.ts', '--to', '1005', '--endpoints', '1005=answer@4/10', '--json');
    expect(JSON.parse(json.out)).toMatchObject({ ops: ['dial', 'hangup'], elapsed: 14 });
  });

  it('simulate: a bad scenario is a usage error', async () => {
    const r = await pbx('simulate', EXAMPLES + 'small-office.ts', '--to', '1005', '--dtmf', '12x');
    expect(r.code).toBe(2);
    expect(r.err).toContain('caller.dtmf.0: DTMF keys only');
  });

  it('test: runs the scenario files next to the dialplans', async () => {
    const r = await pbx('test', EXAMPLES);
    expect(r.out).toContain('ok   extension busy -> voicemail, cause 486');
    expect(r.out).toMatch(/3 passed, 0 failed\n$/);
    expect(r.code).toBe(0);
    expect((await pbx('test', t.dir)).code).toBe(1); // nothing to run
  });

  it('unknown subcommands print the usage', async () => {
    const r = await pbx('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toContain('pbx dialplan check PATH...');
  });
});
