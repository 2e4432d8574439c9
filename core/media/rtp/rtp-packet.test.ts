import { describe, expect, it } from 'vitest';
import { decodeRtpHeader, encodeInto, encodedSize, looksLikeRtcp, RtpHeader, writeHeaderFields } from './rtp-packet.ts';
import { seqDelta, tsDelta } from './seq.ts';

describe('RTP header', () => {
  it('round-trips through encodeInto and decodeRtpHeader', () => {
    const payload = Buffer.from([1, 2, 3, 4, 5]);
    const buf = Buffer.alloc(encodedSize(payload.length));
    const n = encodeInto(buf, 0, { marker: true, payloadType: 8, sequenceNumber: 65535, timestamp: 0xfffffff0, ssrc: 0xdeadbeef }, payload);
    expect(n).toBe(17);
    const h = new RtpHeader();
    expect(decodeRtpHeader(buf, n, h)).toBe(true);
    expect(h).toMatchObject({ marker: true, payloadType: 8, sequenceNumber: 65535, timestamp: 0xfffffff0, ssrc: 0xdeadbeef, headerLength: 12, payloadLength: 5 });
  });

  it('skips CSRCs, extension and padding', () => {
    const buf = Buffer.from([
      0xb1, 0x00, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, // V=2 P=1 X=1 CC=1
      0, 0, 0, 9, // CSRC
      0xbe, 0xde, 0, 1, 1, 2, 3, 4, // one-word extension
      0xaa, 0xbb, // payload
      0, 0, 3, // padding of 3
    ]);
    const h = new RtpHeader();
    expect(decodeRtpHeader(buf, buf.length, h)).toBe(true);
    expect(h.headerLength).toBe(24);
    expect(h.payloadLength).toBe(2);
  });

  it('rejects short, wrong-version and over-padded packets', () => {
    const h = new RtpHeader();
    expect(decodeRtpHeader(Buffer.alloc(11), 11, h)).toBe(false);
    expect(decodeRtpHeader(Buffer.alloc(12), 12, h)).toBe(false);
    const padded = Buffer.alloc(13);
    padded[0] = 0xa0;
    padded[12] = 40;
    expect(decodeRtpHeader(padded, 13, h)).toBe(false);
  });

  it('rewrites header fields in place', () => {
    const buf = Buffer.alloc(14);
    encodeInto(buf, 0, { marker: false, payloadType: 0, sequenceNumber: 1, timestamp: 2, ssrc: 3 }, Buffer.from([7, 7]));
    writeHeaderFields(buf, 0, true, 101, 500, 4_000_000_000, 77);
    const h = new RtpHeader();
    decodeRtpHeader(buf, buf.length, h);
    expect(h).toMatchObject({ marker: true, payloadType: 101, sequenceNumber: 500, timestamp: 4_000_000_000, ssrc: 77 });
    expect([...buf.subarray(12)]).toEqual([7, 7]);
  });

  it('tells RTCP from RTP by the payload type byte', () => {
    expect(looksLikeRtcp(Buffer.from([0x80, 200]), 2)).toBe(true);
    expect(looksLikeRtcp(Buffer.from([0x80, 0]), 2)).toBe(false);
  });

  it('computes wrapped sequence and timestamp distances', () => {
    expect(seqDelta(65535, 0)).toBe(1);
    expect(seqDelta(0, 65535)).toBe(-1);
    expect(tsDelta(0xffffff00, 0x100)).toBe(512);
  });
});
