// RTP fixed header (RFC 3550 §5.1): decode into a caller-owned struct, encodedSize, encodeInto.
// The relay path decodes into one reused RtpHeader per socket and rewrites the received buffer in
// place, so forwarding a packet allocates nothing of ours (STYLE practice 6).

export const RTP_VERSION = 2;
export const RTP_FIXED_HEADER = 12;

export class RtpHeader {
  padding = false;
  extension = false;
  marker = false;
  payloadType = 0;
  sequenceNumber = 0;
  timestamp = 0;
  ssrc = 0;
  csrcCount = 0;
  /** Bytes before the payload: fixed header, CSRCs and the extension block. */
  headerLength = RTP_FIXED_HEADER;
  /** Payload bytes, padding excluded. */
  payloadLength = 0;
}

/**
 * Decode the header of the `length`-byte packet at `buf[offset]` into `out`; false when it is not a
 * well-formed RTP packet. `headerLength` is counted from `offset`.
 */
export function decodeRtpHeader(buf: Uint8Array, length: number, out: RtpHeader, offset = 0): boolean {
  if (length < RTP_FIXED_HEADER) return false;
  const o = offset;
  const b0 = buf[o]!;
  const b1 = buf[o + 1]!;
  if (b0 >> 6 !== RTP_VERSION) return false;
  out.padding = (b0 & 0x20) !== 0;
  out.extension = (b0 & 0x10) !== 0;
  out.csrcCount = b0 & 0x0f;
  out.marker = (b1 & 0x80) !== 0;
  out.payloadType = b1 & 0x7f;
  out.sequenceNumber = (buf[o + 2]! << 8) | buf[o + 3]!;
  out.timestamp = ((buf[o + 4]! << 24) | (buf[o + 5]! << 16) | (buf[o + 6]! << 8) | buf[o + 7]!) >>> 0;
  out.ssrc = ((buf[o + 8]! << 24) | (buf[o + 9]! << 16) | (buf[o + 10]! << 8) | buf[o + 11]!) >>> 0;
  let hl = RTP_FIXED_HEADER + out.csrcCount * 4;
  if (out.extension) {
    if (length < hl + 4) return false;
    const words = (buf[o + hl + 2]! << 8) | buf[o + hl + 3]!;
    hl += 4 + words * 4;
  }
  let end = length;
  if (out.padding) {
    const pad = buf[o + length - 1]!;
    if (pad === 0) return false;
    end -= pad;
  }
  if (end < hl) return false;
  out.headerLength = hl;
  out.payloadLength = end - hl;
  return true;
}

/** RTCP packet types 192..223 land in the RTP payload-type byte as 64..95 (RFC 5761 §4). */
export function looksLikeRtcp(buf: Uint8Array, length: number, offset = 0): boolean {
  if (length < 2) return false;
  const pt = buf[offset + 1]! & 0x7f;
  return pt >= 64 && pt <= 95;
}

export interface RtpFields {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
}

/** Size of a packet we originate: fixed header only (we add no CSRC, extension or padding). */
export function encodedSize(payloadLength: number): number {
  return RTP_FIXED_HEADER + payloadLength;
}

/** Write a header we originate plus `payload` at `off`; returns the bytes written. */
export function encodeInto(buf: Uint8Array, off: number, h: RtpFields, payload: Uint8Array): number {
  buf[off] = RTP_VERSION << 6;
  writeHeaderFields(buf, off, h.marker, h.payloadType, h.sequenceNumber, h.timestamp, h.ssrc);
  buf.set(payload, off + RTP_FIXED_HEADER);
  return RTP_FIXED_HEADER + payload.length;
}

/** Rewrite marker, payload type, sequence, timestamp and SSRC of a received packet in place. */
export function writeHeaderFields(
  buf: Uint8Array,
  off: number,
  marker: boolean,
  payloadType: number,
  seq: number,
  ts: number,
  ssrc: number,
): void {
  buf[off + 1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
  buf[off + 2] = (seq >> 8) & 0xff;
  buf[off + 3] = seq & 0xff;
  buf[off + 4] = (ts >>> 24) & 0xff;
  buf[off + 5] = (ts >>> 16) & 0xff;
  buf[off + 6] = (ts >>> 8) & 0xff;
  buf[off + 7] = ts & 0xff;
  buf[off + 8] = (ssrc >>> 24) & 0xff;
  buf[off + 9] = (ssrc >>> 16) & 0xff;
  buf[off + 10] = (ssrc >>> 8) & 0xff;
  buf[off + 11] = ssrc & 0xff;
}
