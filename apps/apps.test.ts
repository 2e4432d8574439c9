// Every app's ready-made dialplan and the default dialplan bundle and type-check against the SDK the
// way the PBX compiles them, and the default dialplan's lib/ holds exact copies of the shared modules.
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileDialplan } from '../dialplan/compiler/compile.ts';
import { listEntries } from '../dialplan/reload/entries.ts';
import { APPS_DIR, DEFAULT_LIB_DIR, SHARED_MODULES, defaultLibCopy } from './tools/default-lib.ts';

const APP_DIALPLANS = ['ivr-menu/main.ts', 'conference-room/main.ts', 'music-on-hold/main.ts', 'echo-test/main.ts', 'ivr-menu/testdata/variants.ts', 'conference-room/testdata/open-room.ts'];

describe('apps compile', () => {
  it.each(APP_DIALPLANS)('%s bundles and type-checks with apps/ as its folder', async (file) => {
    const r = await compileDialplan(APPS_DIR + file, { root: APPS_DIR });
    expect(r.ok ? '' : r.message).toBe('');
  });

  it('the default dialplan bundles and type-checks with only its own folder', async () => {
    const r = await compileDialplan(APPS_DIR + 'default/main.ts', { root: APPS_DIR + 'default' });
    expect(r.ok ? '' : r.message).toBe('');
    if (r.ok) expect(r.dialplan.inputs.filter((p) => !p.startsWith(APPS_DIR + 'default/'))).toEqual([]);
  });

  it('the default folder has one dialplan, main (lib/ holds modules, not dialplans)', () => {
    expect([...listEntries(APPS_DIR + 'default').keys()]).toEqual(['main']);
  });

  it('a module that leaves the folder is refused, so the check above can fail', async () => {
    const r = await compileDialplan(APPS_DIR + 'ivr-menu/main.ts', { root: APPS_DIR + 'ivr-menu' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('outside the dialplan folder');
  });
});

describe("the default dialplan's lib/", () => {
  it.each(SHARED_MODULES)('apps/%s is copied unchanged (else run: npx tsx apps/tools/default-lib.ts)', (source) => {
    expect(readFileSync(DEFAULT_LIB_DIR + basename(source), 'utf8')).toBe(defaultLibCopy(source));
  });

  it('holds nothing else, and the copies import only each other', () => {
    expect(readdirSync(DEFAULT_LIB_DIR).sort()).toEqual(SHARED_MODULES.map((s) => basename(s)).sort());
    for (const f of readdirSync(DEFAULT_LIB_DIR)) {
      const imports = [...readFileSync(DEFAULT_LIB_DIR + f, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(imports.filter((i) => i !== '@pbx/dialplan' && !/^\.\/[a-z-]+\.ts$/.test(i!)), f).toEqual([]);
    }
  });
});
