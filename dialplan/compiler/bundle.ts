// esbuild in-process: the dialplan and its local imports plus the in-sandbox runtime, as one script
// with an external source map. The entry imports the runtime's boot module first, so the channel is
// captured and the deterministic prelude installed before the dialplan's own top-level code runs.
import { basename, dirname, resolve } from 'node:path';
import { build, type Message } from 'esbuild';
import { boundaryPlugin } from './boundary-plugin.ts';
import { displayPath, type Diagnostic } from './diagnostics.ts';
import { BUNDLE_PARAMS, ENTRY_NAME, RUNTIME_BOOT } from './paths.ts';
import { scriptFromEsm } from './script-wrap.ts';
import { parseSourceMap, type SourceMap } from './source-map.ts';

export interface Bundle {
  /** A script whose completion value is the bundle function: `(host, env, realm) => start`. */
  code: string;
  map: SourceMap;
  /** Absolute paths of the dialplan's own files that went into the bundle (for reloads). */
  inputs: string[];
}

export type BundleResult = { ok: true; bundle: Bundle } | { ok: false; errors: Diagnostic[] };

export async function bundleDialplan(entry: string, root: string): Promise<BundleResult> {
  const file = resolve(entry);
  const outfile = resolve(root, '.pbx-out', basename(file).replace(/\.ts$/, '') + '.js');
  const contents =
    `import { makeStart } from ${JSON.stringify(RUNTIME_BOOT)};\n` +
    `import * as dialplanModule from ${JSON.stringify(file)};\n` +
    `export const start = makeStart(dialplanModule);\n`;
  try {
    const result = await build({
      stdin: { contents, resolveDir: dirname(file), sourcefile: ENTRY_NAME, loader: 'ts' },
      bundle: true,
      write: false,
      format: 'esm', // turned into a plain script by scriptFromEsm (no export object per call)
      platform: 'neutral',
      target: 'es2022',
      sourcemap: 'external',
      sourcesContent: false,
      keepNames: true,
      outfile,
      metafile: true,
      logLevel: 'silent',
      plugins: [boundaryPlugin(root)],
    });
    const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
    const map = result.outputFiles.find((f) => f.path.endsWith('.js.map'));
    if (!js || !map) throw new Error('esbuild produced no output');
    const inputs = Object.keys(result.metafile.inputs)
      .map((p) => resolve(p))
      .filter((p) => p.startsWith(resolve(root) + '/') && basename(p) !== ENTRY_NAME);
    const code = scriptFromEsm(js.text, 'start', BUNDLE_PARAMS);
    return { ok: true, bundle: { code, map: parseSourceMap(map.text, dirname(outfile)), inputs } };
  } catch (err) {
    const messages = (err as { errors?: Message[] }).errors;
    if (!messages) throw err;
    return { ok: false, errors: messages.map((m) => toDiagnostic(m, root)) };
  }
}

function toDiagnostic(m: Message, root: string): Diagnostic {
  const loc = m.location;
  return {
    file: loc ? displayPath(resolve(loc.file), root) : '<bundle>',
    line: loc?.line ?? 1,
    column: (loc?.column ?? 0) + 1,
    code: 'bundle',
    message: m.text,
  };
}
