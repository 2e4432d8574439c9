import { describe, expect, it } from 'vitest';
import { inRange, pattern } from './pattern.ts';

describe('Asterisk extension patterns', () => {
  it.each([
    ['_1XXX', ['1000', '1999'], ['999', '10000', '2000', '1a00']],
    ['_NXX', ['200', '999'], ['100', '020', '2000']],
    ['_Z!', ['1', '9123'], ['0', '']],
    ['_0N.', ['030123', '089'], ['0', '03', '010']],
    ['_1-800-XXX', ['1800555'], ['1-800-555']],
    ['_[15-7]X', ['10', '55', '79'], ['20', '80', '1']],
    ['_*9X#', ['*95#'], ['95#']],
    ['1000', ['1000'], ['10000', '_1000']],
  ])('%s', (p, yes, no) => {
    const re = pattern(p);
    for (const s of yes) expect(re.test(s), s).toBe(true);
    for (const s of no) expect(re.test(s), s).toBe(false);
  });

  it('refuses malformed patterns with the reason', () => {
    expect(() => pattern('_1[23')).toThrow("'[' without a closing ']'");
    expect(() => pattern('_1?')).toThrow("unexpected '?'");
    expect(() => pattern('_[a-z]')).toThrow('bad set');
    expect(() => pattern('')).toThrow('non-empty');
  });

  it('inRange takes plain numbers only', () => {
    expect(inRange('1000', 1000, 1099)).toBe(true);
    expect(inRange('1099', 1000, 1099)).toBe(true);
    expect(inRange('1100', 1000, 1099)).toBe(false);
    expect(inRange('01000', 1000, 1099)).toBe(false);
    expect(inRange('1e3', 1000, 1099)).toBe(false);
    expect(inRange(' 1000', 1000, 1099)).toBe(false);
  });
});
