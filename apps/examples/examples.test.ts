import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileDialplan } from '../../dialplan/compiler/compile.ts';
import { formatDiagnostics } from '../../dialplan/compiler/diagnostics.ts';

const DIR = new URL('.', import.meta.url).pathname;
const entries = readdirSync(DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('example dialplans', () => {
  it('are all here', () => {
    expect(entries.sort()).toEqual(['conference-room.ts', 'hold-music.ts', 'office-hours.ts', 'sales-group.ts', 'small-office.ts']);
  });

  it.each(entries)('%s bundles and type-checks against the SDK', async (file) => {
    const r = await compileDialplan(DIR + file, { root: DIR });
    expect(r.ok ? '' : r.message).toBe('');
    if (r.ok) expect(r.dialplan.inputs.length).toBeGreaterThan(1); // its lib/ modules are bundled too
  });

  it('a diagnostic formatter keeps file:line:col first', () => {
    expect(formatDiagnostics([{ file: 'a.ts', line: 3, column: 7, code: 'TS2345', message: 'x' }])).toBe('a.ts:3:7 - error TS2345: x');
  });
});
