// Compiling (and type-checking) once per file version per process: a test file that simulates
// twenty scenarios pays for one esbuild run and one type check.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { compileDialplan, type CompileOptions, type CompiledDialplan } from '../compiler/compile.ts';

const cache = new Map<string, Promise<CompiledDialplan>>();

export class DialplanCompileError extends Error {
  override readonly name = 'DialplanCompileError';
}

export function compileCached(file: string, o: CompileOptions = {}): Promise<CompiledDialplan> {
  const path = resolve(file);
  const st = statSync(path);
  const key = `${path}|${st.mtimeMs}|${st.size}|${o.root ?? ''}|${o.typecheck !== false}`;
  let p = cache.get(key);
  if (!p) {
    p = compileDialplan(path, o).then((r) => {
      if (!r.ok) throw new DialplanCompileError(r.message);
      return r.dialplan;
    });
    cache.set(key, p);
  }
  return p;
}
