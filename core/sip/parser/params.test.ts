import { describe, expect, it } from 'vitest';
import { type Params, deleteParam, formatParams, getParam, hasParam, parseHeaderParams, setParam } from './params.ts';
import { splitList } from './list.ts';
import { parseCSeq } from './cseq.ts';

describe('Params helpers', () => {
  it('look names up case-insensitively and keep the original spelling', () => {
    const p: Params = [['Branch', 'z9hG4bK1'], ['lr', null]];
    expect(getParam(p, 'branch')).toBe('z9hG4bK1');
    expect(getParam(p, 'LR')).toBeNull();
    expect(getParam(p, 'ttl')).toBeUndefined();
    expect(hasParam(p, 'BRANCH')).toBe(true);
    setParam(p, 'branch', 'z9hG4bK2');
    setParam(p, 'received', '192.0.2.1');
    expect(formatParams(p)).toBe(';Branch=z9hG4bK2;lr;received=192.0.2.1');
    deleteParam(p, 'LR');
    expect(formatParams(p)).toBe(';Branch=z9hG4bK2;received=192.0.2.1');
  });

  it('deleteParam removes every duplicate', () => {
    const p: Params = [['a', '1'], ['b', null], ['A', '2']];
    expect(deleteParam(p, 'a')).toEqual([['b', null]]);
  });
});

describe('parseHeaderParams', () => {
  it('reads token, host, IPv6 and quoted values and reports where it stopped', () => {
    const s = ';a=1 ; b ;c="x;y\\"z";d=[::1];e=2001:db8::1, next';
    const r = parseHeaderParams(s, 0);
    expect(r.ok && r.value.params).toEqual([['a', '1'], ['b', null], ['c', '"x;y\\"z"'], ['d', '[::1]'], ['e', '2001:db8::1']]);
    expect(r.ok && s.slice(r.value.end)).toBe(', next');
  });

  it.each([';', ';;a', ';a=', ';a="open', '; =x'])('rejects %j', (s) => {
    expect(parseHeaderParams(s, 0).ok).toBe(false);
  });
});

describe('splitList', () => {
  it('splits on commas outside quotes and angle brackets', () => {
    expect(splitList('"Doe, John" <sip:a@b;x=1,2>;q=0.5 , <sip:c@d>')).toEqual([
      '"Doe, John" <sip:a@b;x=1,2>;q=0.5',
      '<sip:c@d>',
    ]);
    expect(splitList('"a \\", b", c')).toEqual(['"a \\", b"', 'c']);
    expect(splitList('INVITE,ACK ,  BYE')).toEqual(['INVITE', 'ACK', 'BYE']);
  });

  it('keeps empty items so strict callers can refuse them', () => {
    expect(splitList('a,,b,')).toEqual(['a', '', 'b', '']);
    expect(splitList('  ')).toEqual(['']);
  });
});

describe('parseCSeq', () => {
  it('reads number and method, leading zeros and LWS included', () => {
    expect(parseCSeq('0009  INVITE')).toEqual({ ok: true, value: { seq: 9, method: 'INVITE' } });
    expect(parseCSeq(' 2147483647 OPTIONS ')).toEqual({ ok: true, value: { seq: 2147483647, method: 'OPTIONS' } });
  });

  it.each([
    ['number ≥ 2**31', '2147483648 INVITE'],
    ['huge number', '36893488147419103232 REGISTER'],
    ['no method', '1'],
    ['no space', '1INVITE'],
    ['no number', 'INVITE'],
    ['negative', '-1 INVITE'],
    ['two methods', '1 INVITE ACK'],
    ['non-token method', '1 INV@TE'],
  ])('rejects %s', (_why, s) => {
    expect(parseCSeq(s).ok).toBe(false);
  });
});
