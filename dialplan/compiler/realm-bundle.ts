// The realm script (runtime/realm/realm.ts): the same for every dialplan, so built once per process.
import { build } from 'esbuild';
import { REALM_ENTRY } from './paths.ts';
import { scriptFromEsm } from './script-wrap.ts';

let built: Promise<string> | null = null;

/** A script whose value is `setupRealm(freeze)`, to run in a context before any dialplan bundle. */
export function realmScript(): Promise<string> {
  built ??= build({
    entryPoints: [REALM_ENTRY],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    keepNames: true,
    logLevel: 'silent',
  }).then(
    (r) => scriptFromEsm(r.outputFiles[0]!.text, 'setupRealm'),
    (err: unknown) => {
      built = null;
      throw err;
    },
  );
  return built;
}
