import { describe, expect, it } from 'vitest';
import { runInNewContext } from 'node:vm';
import { blankRedundantNames, scriptFromEsm } from './script-wrap.ts';

const ESM = [
  'var __defProp = Object.defineProperty;',
  'var __name = (target, value) => __defProp(target, "name", { value, configurable: true });',
  'function route(n) { return n; }',
  '__name(route, "route");',
  'async function start2() { return route(1); }',
  '__name(start2, "start");',
  'var helper = /* @__PURE__ */ __name(() => 1, "helper");',
  'var start = { route, start2, helper };',
  'export {',
  '  start',
  '};',
  '',
].join('\n');

describe('scriptFromEsm', () => {
  it('returns the export instead of exporting it, on the lines the export took', () => {
    const code = scriptFromEsm(ESM, 'start', ['a', 'b']);
    expect(code.split('\n')).toHaveLength(ESM.split('\n').length + 1); // + the closing `})` line
    expect(code.startsWith('(function (a, b) {"use strict";')).toBe(true); // ESM code is strict
    const value = (runInNewContext(code) as () => unknown)() as { route: () => void; start2: () => void; helper: () => void };
    expect(value.route.name).toBe('route');
    expect(value.start2.name).toBe('start'); // renamed by esbuild: the __name call stays
    expect(value.helper.name).toBe('helper');
  });

  it('keeps every other line and column where esbuild put it (the source map stays exact)', () => {
    const code = scriptFromEsm(ESM, 'start');
    const before = ESM.split('\n');
    const after = code.slice('(function () {"use strict";'.length).split('\n');
    for (let i = 0; i < 8; i++) expect(after[i]!.length, `line ${i + 1}`).toBe(before[i]!.length);
    expect(after[3]!.trim()).toBe(''); // __name(route, "route") blanked, not removed
    expect(after[4]).toBe(before[4]);
  });

  it('refuses a bundle whose tail is not the expected export', () => {
    expect(() => scriptFromEsm('var x = 1;\nexport { x };\n', 'start')).toThrow("export of 'start'");
    expect(() => scriptFromEsm('var start = 1;\n', 'start')).toThrow("export of 'start'");
    expect(scriptFromEsm('var start2 = 1;\nexport { start2 as start };\n', 'start')).toContain('return start2;');
  });
});

describe('blankRedundantNames', () => {
  it('blanks only `__name(f, "f")` for a function declared as f', () => {
    const src = 'function a() {}\n__name(a, "a");\nvar b = class {};\n__name(b, "b");\nfunction* c() {}\n__name(c, "c");\n__name(a, "z");\n';
    const out = blankRedundantNames(src).split('\n');
    expect(out[1]!.trim()).toBe('');
    expect(out[3]).toBe('__name(b, "b");'); // not a function declaration: left alone
    expect(out[5]!.trim()).toBe('');
    expect(out[6]).toBe('__name(a, "z");');
  });
});
