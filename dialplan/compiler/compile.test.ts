import { afterAll, describe, expect, it } from 'vitest';
import { tempDialplans } from '../testing/temp-dialplans.ts';
import { compileDialplan } from './compile.ts';

const t = tempDialplans({
  'good.ts': `import { dialplan } from '@pbx/dialplan';
import { route } from './lib/route.ts';
export default dialplan(async (call) => route(call));
`,
  'lib/route.ts': `import type { Call, Done } from '@pbx/dialplan';
export async function route(call: Call): Promise<Done> {
  const r = await call.dial(call.dialed);
  return r.status === 'answered' ? call.hangup() : call.voicemail(call.dialed, { cause: 408 });
}
`,
  'forgets-end.ts': `import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => {
  const r = await call.dial('1000');
  if (r.status === 'answered') return call.hangup();
});
`,
  'bad-status.ts': `import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => {
  const r = await call.dial('1000');
  if (r.status === 'BUSY') return call.voicemail('1000');
  return call.hangup();
});
`,
  'uses-node.ts': `import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => {
  process.exit(1);
  return call.hangup();
});
`,
  'imports-fs.ts': `import { readFileSync } from 'node:fs';
import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => call.reject(readFileSync('/etc/passwd').length > 0 ? 404 : 403));
`,
  'imports-outside.ts': `import { dialplan } from '@pbx/dialplan';
import { x } from '../../etc/x.ts';
export default dialplan(async (call) => (x ? call.hangup() : call.reject()));
`,
  'syntax.ts': `import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => { return call.hangup( });
`,
});
afterAll(() => t.cleanup());

describe('compile: bundle and type-check before activation', () => {
  it('bundles a dialplan with its local imports and a source map', async () => {
    const r = await compileDialplan(t.path('good.ts'));
    if (!r.ok) throw new Error(r.message);
    expect(r.dialplan.name).toBe('good');
    expect(r.dialplan.version).toMatch(/^[0-9a-f]{12}$/);
    expect([...r.dialplan.inputs].sort()).toEqual([t.path('good.ts'), t.path('lib/route.ts')]);
    expect(r.dialplan.map.sources.some((s) => s.endsWith('lib/route.ts'))).toBe(true);
    expect(r.dialplan.typechecked).toBe(true);
  });

  it('a path that forgets to end the call does not compile (TS2345, file:line:col)', async () => {
    const r = await compileDialplan(t.path('forgets-end.ts'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.stage).toBe('typecheck');
    expect(r.message).toContain("dialplan 'forgets-end' does not type-check");
    expect(r.message).toContain("forgets-end.ts:2:25 - error TS2345: Argument of type '(call: Call) => Promise<Done | undefined>'");
    expect(r.errors[0]).toMatchObject({ file: 'forgets-end.ts', line: 2, column: 25, code: 'TS2345' });
  });

  it('a misspelt dial status is a type error (TS2367)', async () => {
    const r = await compileDialplan(t.path('bad-status.ts'));
    expect(r.ok ? '' : r.message).toContain("bad-status.ts:4:7 - error TS2367: This comparison appears to be unintentional because the types");
  });

  it('Node globals do not exist for a dialplan (no @types/node in the check)', async () => {
    const r = await compileDialplan(t.path('uses-node.ts'));
    expect(r.ok ? '' : r.message).toContain("uses-node.ts:3:3 - error TS2591: Cannot find name 'process' (a dialplan runs in a sandbox without Node.js APIs)");
  });

  it('host modules are refused by the bundler, with the reason', async () => {
    const r = await compileDialplan(t.path('imports-fs.ts'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.stage).toBe('bundle');
    expect(r.message).toContain("imports-fs.ts:1:30 - error bundle: 'node:fs' cannot be imported: a dialplan may import only '@pbx/dialplan' and files in its own folder");
  });

  it('files outside the dialplan folder are refused', async () => {
    const r = await compileDialplan(t.path('imports-outside.ts'));
    expect(r.ok ? '' : r.message).toContain("imports-outside.ts:2:19 - error bundle: '../../etc/x.ts' is outside the dialplan folder");
  });

  it('syntax errors name the position', async () => {
    const r = await compileDialplan(t.path('syntax.ts'));
    expect(r.ok ? '' : r.message).toMatch(/^dialplan 'syntax' does not build:\nsyntax\.ts:2:\d+ - error bundle: /);
  });

  it('equal code gives an equal version', async () => {
    const a = await compileDialplan(t.path('good.ts'), { typecheck: false });
    const b = await compileDialplan(t.path('good.ts'), { typecheck: false });
    expect(a.ok && b.ok && a.dialplan.version === b.dialplan.version).toBe(true);
  });
});
