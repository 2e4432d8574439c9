// Keeps the bundle honest: a dialplan may import '@pbx/dialplan' and its own files in its folder,
// nothing else. A node built-in or a package would fail only at run time inside the sandbox (or,
// worse, bundle host code into it), so the bundler refuses it with a message that says why.
import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import { ENTRY_NAME, RUNTIME_DIR, RUNTIME_INDEX, SDK_MODULE } from './paths.ts';

const CANDIDATES = ['', '.ts', '.js', '.json', '/index.ts', '/index.js'];

export function boundaryPlugin(root: string): Plugin {
  return {
    name: 'pbx-dialplan-boundary',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.path === SDK_MODULE) return { path: RUNTIME_INDEX };
        // The runtime's own imports and the synthetic entry (esbuild names it `<resolveDir>/<sourcefile>`)
        // resolve normally.
        if (args.kind === 'entry-point' || basename(args.importer) === ENTRY_NAME || args.importer.startsWith(RUNTIME_DIR)) return undefined;
        if (!args.path.startsWith('.') && !isAbsolute(args.path)) {
          return {
            errors: [
              {
                text: `'${args.path}' cannot be imported: a dialplan may import only '${SDK_MODULE}' and files in its own folder (node built-ins, packages and host modules are not available in the sandbox)`,
              },
            ],
          };
        }
        const base = resolve(args.resolveDir, args.path);
        const rel = relative(root, base);
        if (rel.startsWith('..') || isAbsolute(rel)) {
          return { errors: [{ text: `'${args.path}' is outside the dialplan folder; a dialplan may import only files in its own folder` }] };
        }
        for (const suffix of CANDIDATES) {
          const file = base + suffix;
          if (existsSync(file) && statSync(file).isFile()) return { path: file };
        }
        return undefined; // let esbuild report "Could not resolve"
      });
    },
  };
}
