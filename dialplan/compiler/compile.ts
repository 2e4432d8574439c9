// The activation gate: bundle (syntax, imports) and type-check against the SDK. A dialplan that
// fails either is refused with every diagnostic; one that passes becomes an immutable version.
import { createHash } from 'node:crypto';
import { basename, dirname, resolve } from 'node:path';
import { bundleDialplan } from './bundle.ts';
import { formatDiagnostics, type Diagnostic } from './diagnostics.ts';
import { realmScript } from './realm-bundle.ts';
import type { SourceMap } from './source-map.ts';
import { scriptFilename } from './stack.ts';
import { typecheckDialplan } from './typecheck.ts';

export interface CompiledDialplan {
  /** File name without `.ts`: how calls and the CLI refer to it. */
  readonly name: string;
  readonly entry: string;
  readonly root: string;
  /** First 12 hex digits of the bundle's SHA-256: equal code, equal version. */
  readonly version: string;
  /** The bundle function's script (compiler/script-wrap.ts). */
  readonly code: string;
  /** The realm's script (compiler/realm-bundle.ts), run in a context before any bundle. */
  readonly realm: string;
  readonly map: SourceMap;
  readonly filename: string;
  readonly inputs: readonly string[];
  readonly typechecked: boolean;
  readonly compileMs: number;
}

export type CompileResult =
  | { ok: true; dialplan: CompiledDialplan }
  | { ok: false; stage: 'bundle' | 'typecheck'; errors: Diagnostic[]; message: string };

export interface CompileOptions {
  /** The dialplan folder: imports may not leave it, paths are shown relative to it. */
  root?: string;
  /** Skip only for tests of the sandbox itself; activation always checks. */
  typecheck?: boolean;
}

export async function compileDialplan(entry: string, o: CompileOptions = {}): Promise<CompileResult> {
  const started = performance.now();
  const file = resolve(entry);
  const root = resolve(o.root ?? dirname(file));
  const name = basename(file).replace(/\.ts$/, '');
  const bundled = await bundleDialplan(file, root);
  if (!bundled.ok) return refuse(name, 'bundle', bundled.errors);
  if (o.typecheck !== false) {
    const errors = await typecheckDialplan(file, root);
    if (errors.length > 0) return refuse(name, 'typecheck', errors);
  }
  const { code, map, inputs } = bundled.bundle;
  const realm = await realmScript();
  const version = createHash('sha256').update(code).digest('hex').slice(0, 12);
  return {
    ok: true,
    dialplan: {
      name,
      entry: file,
      root,
      version,
      code,
      realm,
      map,
      filename: scriptFilename(name, version),
      inputs,
      typechecked: o.typecheck !== false,
      compileMs: performance.now() - started,
    },
  };
}

function refuse(name: string, stage: 'bundle' | 'typecheck', errors: Diagnostic[]): CompileResult {
  const what = stage === 'bundle' ? 'does not build' : 'does not type-check';
  return { ok: false, stage, errors, message: `dialplan '${name}' ${what}:\n${formatDiagnostics(errors)}` };
}
