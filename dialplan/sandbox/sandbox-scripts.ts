// The scripts a sandbox runs in a context, composed from a compiled dialplan's two scripts: the
// realm's (value: `setupRealm`) and the bundle's (value: the function `(host, env, realm) => start`,
// see runtime/channel.ts for its parameters).
import type { CompiledDialplan } from '../compiler/compile.ts';

/** Per-call and shared modes: sets up the realm and leaves it on the global object for the bundle. */
export function realmForContext(dp: CompiledDialplan): string {
  return `globalThis.__pbxRealm = ${dp.realm}()(false);`;
}

/** Frozen mode: sets up and freezes the realm; the value is its `enter` for the instances. */
export function frozenRealm(dp: CompiledDialplan): string {
  return `${dp.realm}()(true)`;
}

// Reads the values the host (and the realm script) left on the global object and removes them, so
// no dialplan code can reach them.
const TAKE_GLOBALS = `((g) => {
  const a = [g.__pbxHost, g.__pbxEnv, g.__pbxRealm];
  delete g.__pbxHost;
  delete g.__pbxEnv;
  delete g.__pbxRealm;
  return a;
})(globalThis)`;

/** Per-call and shared modes: evaluates the bundle at once; the value is its entry. */
export function instanceInContext(dp: CompiledDialplan): string {
  return `${dp.code}(...${TAKE_GLOBALS})`;
}
