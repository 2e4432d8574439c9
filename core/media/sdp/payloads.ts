// Reading the payload list of an SDP audio m-line into codec bindings, including static payload
// types that carry no rtpmap (RFC 3551 table 4).

import type { MediaDescription } from 'sdp-transform';
import { findCodec, type CodecFactory } from '../codec-lookup.ts';

export interface SdpPayload {
  pt: number;
  name: string;
  clockRate: number;
  channels: number;
  fmtp?: string;
}

const STATIC: Record<number, [string, number]> = {
  0: ['PCMU', 8000],
  3: ['GSM', 8000],
  4: ['G723', 8000],
  8: ['PCMA', 8000],
  9: ['G722', 8000],
  18: ['G729', 8000],
};

export const TELEPHONE_EVENT = 'telephone-event';

export function payloadsOf(m: MediaDescription): SdpPayload[] {
  // sdp-transform yields a number, not a string, when the m-line lists a single payload type.
  const pts = String(m.payloads ?? '')
    .split(/\s+/)
    .filter((s) => /^\d+$/.test(s))
    .map(Number);
  const out: SdpPayload[] = [];
  for (const pt of pts) {
    const map = m.rtp.find((r) => r.payload === pt);
    const fmtp = m.fmtp.find((f) => f.payload === pt)?.config;
    const stat = STATIC[pt];
    if (map) {
      const p: SdpPayload = { pt, name: map.codec, clockRate: map.rate ?? 8000, channels: map.encoding ?? 1 };
      if (fmtp !== undefined) p.fmtp = fmtp;
      out.push(p);
    } else if (stat) {
      out.push({ pt, name: stat[0], clockRate: stat[1], channels: 1 });
    }
  }
  return out;
}

export function isTelephoneEvent(p: SdpPayload): boolean {
  return p.name.toLowerCase() === TELEPHONE_EVENT;
}

/** The codec we implement for an SDP payload, if any. */
export function codecFor(p: SdpPayload, allowed: readonly CodecFactory[]): CodecFactory | undefined {
  const c = findCodec(p.name, p.clockRate);
  return c && allowed.includes(c) ? c : undefined;
}

/** Resolve names such as `PCMU`, `opus` or `opus/48000` against the codec registry. */
export function resolveCodecs(names: readonly string[]): { ok: true; codecs: CodecFactory[] } | { ok: false; error: string } {
  const codecs: CodecFactory[] = [];
  for (const spec of names) {
    if (spec.toLowerCase() === TELEPHONE_EVENT) continue;
    const [name, rate] = spec.split('/');
    const c = findCodec(name ?? '', rate ? Number(rate) : undefined);
    if (!c) return { ok: false, error: `unsupported codec ${spec}` };
    if (!codecs.includes(c)) codecs.push(c);
  }
  return { ok: true, codecs };
}
