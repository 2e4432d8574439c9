import { describe, expect, it } from 'vitest';
import { decodeRtcp, encodeRtcpInto, ntpMiddle, rtcpEncodedSize, toNtp } from './rtcp.ts';
import { ReceiveStats } from './receive-stats.ts';

describe('RTCP', () => {
  it('round-trips an SR with a report block and CNAME', () => {
    const report = {
      ssrc: 0x11223344,
      sender: { ntpSec: 3_900_000_000, ntpFrac: 0x80000000, rtpTimestamp: 123456, packetCount: 50, octetCount: 8000 },
      blocks: [{ ssrc: 7, fractionLost: 25, cumulativeLost: -3, extendedHighestSeq: 70000, jitter: 12, lastSr: 0xabcd1234, delaySinceLastSr: 65536 }],
      cname: 'leg-1@media',
    };
    const buf = Buffer.alloc(rtcpEncodedSize(report));
    expect(encodeRtcpInto(buf, 0, report)).toBe(buf.length);
    expect(buf.length % 4).toBe(0);
    expect(decodeRtcp(buf)).toEqual({ ...report, bye: false });
  });

  it('round-trips an RR and rejects truncated packets', () => {
    const rr = { ssrc: 9, blocks: [] };
    const buf = Buffer.alloc(rtcpEncodedSize(rr));
    encodeRtcpInto(buf, 0, rr);
    expect(decodeRtcp(buf)).toEqual({ ssrc: 9, blocks: [], bye: false });
    expect(decodeRtcp(buf.subarray(0, 6))).toBeUndefined();
    expect(decodeRtcp(Buffer.from([0x00, 201, 0, 1, 0, 0, 0, 9]))).toBeUndefined();
  });

  it('converts wall time to NTP', () => {
    const n = toNtp(1500);
    expect(n.sec).toBe(2_208_988_801);
    expect(n.frac).toBe(0x80000000);
    expect(ntpMiddle(n.sec, n.frac)).toBe(((n.sec & 0xffff) << 16 | 0x8000) >>> 0);
  });
});

describe('ReceiveStats', () => {
  it('counts loss across sequence wrap and reports the interval fraction', () => {
    const s = new ReceiveStats(8000);
    let seq = 65530;
    for (let i = 0; i < 20; i++, seq = (seq + 1) & 0xffff) {
      if (i === 5 || i === 6) continue; // two lost
      s.update(1, seq, i * 160, 160, i * 20);
    }
    expect(s.expected).toBe(20);
    expect(s.lost).toBe(2);
    const b = s.reportBlock(400)!;
    expect(b.cumulativeLost).toBe(2);
    expect(b.fractionLost).toBe(Math.floor((2 << 8) / 20));
    expect(b.extendedHighestSeq).toBe(0x10000 + 13);
    expect(s.reportBlock(420)!.fractionLost).toBe(0);
  });

  it('estimates interarrival jitter (RFC 3550 A.8)', () => {
    const s = new ReceiveStats(8000);
    for (let i = 0; i < 200; i++) s.update(1, i, i * 160, 160, i * 20 + (i % 2 ? 10 : 0));
    // Alternating 10 ms offsets converge to ~10 ms of jitter.
    expect(s.jitterMs).toBeGreaterThan(8);
    expect(s.jitterMs).toBeLessThan(11);
  });
});
