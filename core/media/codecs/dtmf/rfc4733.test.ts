import { describe, expect, it } from 'vitest';
import { decode, digitToEvent, encodedSize, encodeInto, eventToDigit, telephoneEventInfo } from './rfc4733.ts';

describe('RFC 4733 telephone-event payload', () => {
  it('encodes event, E bit, volume and duration big-endian', () => {
    const out = Buffer.alloc(6, 0xee);
    const ev = { event: 11, end: true, volume: 10, duration: 800 };
    expect(encodedSize(ev)).toBe(4);
    expect(encodeInto(ev, out, 1)).toBe(4);
    expect([...out]).toEqual([0xee, 0x0b, 0x8a, 0x03, 0x20, 0xee]);
  });

  it('decodes what it encodes, at an offset', () => {
    const out = Buffer.alloc(8);
    const ev = { event: 16, end: false, volume: 63, duration: 65535 };
    encodeInto(ev, out, 4);
    expect(decode(out, 4)).toEqual({ ok: true, value: ev });
  });

  it('ignores the reserved R bit on receipt and keeps the R bit clear when sending (2.3.3)', () => {
    expect(decode(Buffer.from([0x05, 0xca, 0x00, 0xa0]))).toEqual({
      ok: true,
      value: { event: 5, end: true, volume: 10, duration: 160 },
    });
    const out = Buffer.alloc(4);
    encodeInto({ event: 1, end: false, volume: 63, duration: 0 }, out);
    expect(out[1]! & 0x40).toBe(0);
  });

  it('rejects a payload shorter than 4 bytes as a value, not an exception', () => {
    const r = decode(Buffer.from([1, 2, 3]));
    expect(r.ok).toBe(false);
    expect(decode(Buffer.alloc(8), 5).ok).toBe(false);
  });

  it('throws on fields out of range when encoding (caller bug)', () => {
    const out = Buffer.alloc(4);
    expect(() => encodeInto({ event: 256, end: false, volume: 0, duration: 0 }, out)).toThrow(RangeError);
    expect(() => encodeInto({ event: 1, end: false, volume: 64, duration: 0 }, out)).toThrow(RangeError);
    expect(() => encodeInto({ event: 1, end: false, volume: 0, duration: 65536 }, out)).toThrow(RangeError);
    expect(() => encodeInto({ event: 1, end: false, volume: 0, duration: 0 }, out, 1)).toThrow(RangeError);
  });

  it('maps digits to event codes (3.2)', () => {
    expect([...'0123456789*#ABCD'].map(digitToEvent)).toEqual([...Array(16).keys()]);
    expect(digitToEvent('d')).toBe(15);
    expect(digitToEvent('x')).toBeUndefined();
    expect(digitToEvent('12')).toBeUndefined();
    expect(eventToDigit(11)).toBe('#');
    expect(eventToDigit(16)).toBe('flash');
    expect(eventToDigit(17)).toBeUndefined();
    expect(telephoneEventInfo).toEqual({ name: 'telephone-event', clockRate: 8000, fmtp: '0-16' });
  });
});
