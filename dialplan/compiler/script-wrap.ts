// Turns esbuild's ESM output into the sandbox script: one strict function expression (ESM code is
// strict) that evaluates the bundle's modules and returns the export, here the entry (`start`).
// The sandbox calls it once per call, so what the bundle's top level does is paid on every call;
// two of esbuild's helpers cost more there than they are worth:
//
// - the CommonJS/IIFE export object (`__toCommonJS`: an object with a getter per export, made per
//   context just to read `start` once) — the ESM output's `export { start }` becomes `return start;`
// - `__name(f, "f")` after a function declaration (keepNames): it redefines `f.name` to the value V8
//   already gave it, one property definition per function per call. Calls that do rename (esbuild
//   renamed the function to avoid a clash: `__name(start2, "start")`) are kept.
//
// Every edit keeps line and column of everything else, so the source map stays exact.

/**
 * The ESM bundle as a script whose value is a function of `params` returning the export `name`;
 * throws if esbuild's tail changed.
 */
export function scriptFromEsm(esm: string, name: string, params: readonly string[] = []): string {
  const m = /\bexport\s*\{\s*([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?\s*\};?\s*$/.exec(esm);
  if (!m || (m[2] ?? m[1]) !== name) throw new Error(`dialplan bundle: expected the bundle to end with its export of '${name}'`);
  const tail = m[0];
  const kept = `return ${m[1]};`;
  // Same line count as the statement it replaces (the map has nothing on those lines).
  const body = esm.slice(0, m.index) + kept + '\n'.repeat((tail.match(/\n/g) ?? []).length);
  // Wrapped in a function on the first line, so the map's line numbers stay valid and the
  // bundle's top-level `var`s do not become properties of the sandbox's global object.
  return `(function (${params.join(', ')}) {"use strict";${blankRedundantNames(body)}\n})`;
}

const NAME_CALL = /^([ \t]*)__name\(([A-Za-z_$][\w$]*), "([^"\\]*)"\);$/gm;

/** Blanks `__name(f, "f");` statements where `f` is a function declared under that very name. */
export function blankRedundantNames(code: string): string {
  const declared = new Set<string>();
  for (const d of code.matchAll(/\bfunction\*?\s+([A-Za-z_$][\w$]*)\s*\(/g)) declared.add(d[1]!);
  return code.replace(NAME_CALL, (all, _indent: string, id: string, value: string) => (id === value && declared.has(id) ? ' '.repeat(all.length) : all));
}
