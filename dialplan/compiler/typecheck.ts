// The activation gate's type check: the dialplan (and its local imports) against the shipped SDK
// declaration, with strict options and no Node types, so `process` or `require` is an error here
// and not a surprise in the sandbox. TypeScript is loaded on first use (it is large), and the lib
// and SDK declarations are parsed once per process and reused by every later check.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type * as TS from 'typescript';
import { displayPath, type Diagnostic } from './diagnostics.ts';
import { SDK_DTS } from './paths.ts';

let tsModule: typeof TS | undefined;
async function loadTs(): Promise<typeof TS> {
  // CommonJS package: under NodeNext the namespace is the module, at run time it sits on `default`.
  const mod = (await import('typescript')) as unknown as { default?: typeof TS } & typeof TS;
  tsModule ??= mod.default ?? mod;
  return tsModule;
}

const sharedFiles = new Map<string, TS.SourceFile>();

function options(ts: typeof TS): TS.CompilerOptions {
  return {
    strict: true,
    noImplicitReturns: true,
    noFallthroughCasesInSwitch: true,
    noImplicitOverride: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    isolatedModules: true,
    noEmit: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
    skipLibCheck: true,
  };
}

export async function typecheckDialplan(entry: string, root: string): Promise<Diagnostic[]> {
  const ts = await loadTs();
  const opts = options(ts);
  const host = ts.createCompilerHost(opts, true);
  const libDir = resolve(ts.getDefaultLibFilePath(opts), '..');
  const original = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const shared = fileName.startsWith(libDir) || resolve(fileName) === SDK_DTS;
    if (!shared) return original(fileName, languageVersion, onError, shouldCreate);
    let sf = sharedFiles.get(fileName);
    if (!sf) {
      sf = ts.createSourceFile(fileName, readFileSync(fileName, 'utf8'), languageVersion, true);
      sharedFiles.set(fileName, sf);
    }
    return sf;
  };
  const program = ts.createProgram({ rootNames: [resolve(entry), SDK_DTS], options: opts, host });
  return ts.getPreEmitDiagnostics(program).map((d) => toDiagnostic(ts, d, root));
}

// "Cannot find name 'process'. Do you need to install type definitions for node?": the advice is
// wrong for a dialplan, which has no Node.js at run time either.
const NODE_NAME_CODES = new Set([2580, 2591, 2592, 2593]);

function toDiagnostic(ts: typeof TS, d: TS.Diagnostic, root: string): Diagnostic {
  let message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (NODE_NAME_CODES.has(d.code)) message = message.replace(/\. Do you need .*$/s, ' (a dialplan runs in a sandbox without Node.js APIs)');
  if (!d.file || d.start === undefined) return { file: '<options>', line: 1, column: 1, code: `TS${d.code}`, message };
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return { file: displayPath(d.file.fileName, root), line: line + 1, column: character + 1, code: `TS${d.code}`, message };
}
