// RTCP sender and receiver reports (RFC 3550 §6.4) plus the SDES CNAME every compound packet
// needs (§6.1). Only what a telephony endpoint uses: loss, jitter and round-trip time.

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;

export interface ReportBlock {
  ssrc: number;
  /** Fraction lost since the previous report, 0..255 (fixed point /256). */
  fractionLost: number;
  /** Cumulative packets lost (signed 24-bit). */
  cumulativeLost: number;
  extendedHighestSeq: number;
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received from `ssrc`. */
  lastSr: number;
  /** Delay since that SR, in 1/65536 s. */
  delaySinceLastSr: number;
}

export interface SenderInfo {
  ntpSec: number;
  ntpFrac: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
}

export interface RtcpReport {
  ssrc: number;
  sender?: SenderInfo;
  blocks: ReportBlock[];
  cname?: string;
  bye: boolean;
}

const BLOCK = 24;

function writeBlock(buf: Buffer, off: number, b: ReportBlock): void {
  buf.writeUInt32BE(b.ssrc >>> 0, off);
  buf.writeUInt8(b.fractionLost & 0xff, off + 4);
  const lost = Math.max(-0x800000, Math.min(0x7fffff, b.cumulativeLost)) & 0xffffff;
  buf.writeUIntBE(lost, off + 5, 3);
  buf.writeUInt32BE(b.extendedHighestSeq >>> 0, off + 8);
  buf.writeUInt32BE(b.jitter >>> 0, off + 12);
  buf.writeUInt32BE(b.lastSr >>> 0, off + 16);
  buf.writeUInt32BE(b.delaySinceLastSr >>> 0, off + 20);
}

function readBlock(buf: Buffer, off: number): ReportBlock {
  const raw = buf.readUIntBE(off + 5, 3);
  return {
    ssrc: buf.readUInt32BE(off),
    fractionLost: buf.readUInt8(off + 4),
    cumulativeLost: raw & 0x800000 ? raw - 0x1000000 : raw,
    extendedHighestSeq: buf.readUInt32BE(off + 8),
    jitter: buf.readUInt32BE(off + 12),
    lastSr: buf.readUInt32BE(off + 16),
    delaySinceLastSr: buf.readUInt32BE(off + 20),
  };
}

function sdesSize(cname: string): number {
  // header 4 + ssrc 4 + item (type, len, text) + null terminator, padded to 32 bits
  return 4 + Math.ceil((4 + 2 + Buffer.byteLength(cname) + 1) / 4) * 4;
}

export function rtcpEncodedSize(r: Pick<RtcpReport, 'sender' | 'blocks' | 'cname'>): number {
  const report = 8 + (r.sender ? 20 : 0) + r.blocks.length * BLOCK;
  return report + (r.cname ? sdesSize(r.cname) : 0);
}

/** Encode an SR (when `sender` is set) or RR, followed by SDES CNAME, at `off`. */
export function encodeRtcpInto(buf: Buffer, off: number, r: Omit<RtcpReport, 'bye'>): number {
  const blocks = r.blocks.slice(0, 31);
  const reportLen = 8 + (r.sender ? 20 : 0) + blocks.length * BLOCK;
  buf.writeUInt8(0x80 | blocks.length, off);
  buf.writeUInt8(r.sender ? RTCP_SR : RTCP_RR, off + 1);
  buf.writeUInt16BE(reportLen / 4 - 1, off + 2);
  buf.writeUInt32BE(r.ssrc >>> 0, off + 4);
  let p = off + 8;
  if (r.sender) {
    buf.writeUInt32BE(r.sender.ntpSec >>> 0, p);
    buf.writeUInt32BE(r.sender.ntpFrac >>> 0, p + 4);
    buf.writeUInt32BE(r.sender.rtpTimestamp >>> 0, p + 8);
    buf.writeUInt32BE(r.sender.packetCount >>> 0, p + 12);
    buf.writeUInt32BE(r.sender.octetCount >>> 0, p + 16);
    p += 20;
  }
  for (const b of blocks) {
    writeBlock(buf, p, b);
    p += BLOCK;
  }
  if (r.cname) {
    const size = sdesSize(r.cname);
    buf.fill(0, p, p + size);
    buf.writeUInt8(0x81, p);
    buf.writeUInt8(RTCP_SDES, p + 1);
    buf.writeUInt16BE(size / 4 - 1, p + 2);
    buf.writeUInt32BE(r.ssrc >>> 0, p + 4);
    buf.writeUInt8(1, p + 8); // CNAME
    const len = buf.write(r.cname, p + 10);
    buf.writeUInt8(len, p + 9);
    p += size;
  }
  return p - off;
}

/** Decode a compound RTCP packet; undefined if it is malformed. Unknown packet types are skipped. */
export function decodeRtcp(buf: Buffer, length = buf.length): RtcpReport | undefined {
  let off = 0;
  let report: RtcpReport | undefined;
  let cname: string | undefined;
  let bye = false;
  for (let guard = 0; off + 4 <= length && guard < 64; guard++) {
    const b0 = buf[off]!;
    if (b0 >> 6 !== 2) return undefined;
    const count = b0 & 0x1f;
    const pt = buf[off + 1]!;
    const size = (buf.readUInt16BE(off + 2) + 1) * 4;
    if (off + size > length) return undefined;
    if ((pt === RTCP_SR || pt === RTCP_RR) && !report) {
      const hasSender = pt === RTCP_SR;
      const need = 8 + (hasSender ? 20 : 0) + count * BLOCK;
      if (size < need) return undefined;
      report = { ssrc: buf.readUInt32BE(off + 4), blocks: [], bye: false };
      let p = off + 8;
      if (hasSender) {
        report.sender = {
          ntpSec: buf.readUInt32BE(p),
          ntpFrac: buf.readUInt32BE(p + 4),
          rtpTimestamp: buf.readUInt32BE(p + 8),
          packetCount: buf.readUInt32BE(p + 12),
          octetCount: buf.readUInt32BE(p + 16),
        };
        p += 20;
      }
      for (let i = 0; i < count; i++, p += BLOCK) report.blocks.push(readBlock(buf, p));
    } else if (pt === RTCP_SDES && count > 0 && size >= 12 && buf[off + 8] === 1) {
      const len = buf[off + 9]!;
      if (off + 10 + len <= off + size) cname = buf.toString('utf8', off + 10, off + 10 + len);
    } else if (pt === RTCP_BYE) {
      bye = true;
    }
    off += size;
  }
  if (!report && !bye) return undefined;
  const out: RtcpReport = report ?? { ssrc: 0, blocks: [], bye };
  out.bye = bye;
  if (cname !== undefined) out.cname = cname;
  return out;
}

const NTP_UNIX_OFFSET = 2_208_988_800;

/** Wall-clock milliseconds as a 64-bit NTP timestamp split in seconds and fraction. */
export function toNtp(unixMs: number): { sec: number; frac: number } {
  const sec = Math.floor(unixMs / 1000);
  const frac = Math.floor(((unixMs - sec * 1000) / 1000) * 0x1_0000_0000);
  return { sec: (sec + NTP_UNIX_OFFSET) >>> 0, frac: frac >>> 0 };
}

/** The "middle 32 bits" form used in LSR. */
export function ntpMiddle(sec: number, frac: number): number {
  return (((sec & 0xffff) << 16) | (frac >>> 16)) >>> 0;
}
