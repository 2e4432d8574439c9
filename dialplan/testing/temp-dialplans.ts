// Test helper: dialplan files in a fresh temp folder (fixtures with deliberate type errors cannot
// live in the repo, where the project's own tsc would trip over them).
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compileDialplan, type CompileOptions, type CompiledDialplan } from '../compiler/compile.ts';

export interface TempDialplans {
  readonly dir: string;
  path(file: string): string;
  write(file: string, source: string): string;
  cleanup(): void;
}

export function tempDialplans(files: Record<string, string> = {}): TempDialplans {
  const dir = mkdtempSync(join(tmpdir(), 'pbx-dialplans-'));
  const t: TempDialplans = {
    dir,
    path: (file) => join(dir, file),
    write(file, source) {
      const p = join(dir, file);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, source);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  for (const [file, source] of Object.entries(files)) t.write(file, source);
  return t;
}

/** Lets queued promise callbacks and I/O run a bounded number of times until `cond` holds. */
export async function until(cond: () => boolean, turns = 10_000): Promise<void> {
  for (let i = 0; i < turns && !cond(); i++) await new Promise((r) => setImmediate(r));
  if (!cond()) throw new Error('condition not reached');
}

/** Compiles `name.ts` for each name in `t`, by name; throws the first refusal's message. */
export async function compileEach(t: TempDialplans, names: readonly string[], o: CompileOptions = {}): Promise<Record<string, CompiledDialplan>> {
  const out: Record<string, CompiledDialplan> = {};
  for (const name of names) {
    const r = await compileDialplan(t.path(`${name}.ts`), o);
    if (!r.ok) throw new Error(r.message);
    out[name] = r.dialplan;
  }
  return out;
}
