// PCMA: G.711 A-law, RTP payload type 8 (RFC 3551).
import type { CodecFactory, CodecInfo } from '../codec.ts';
import { g711DecodeInto, g711EncodeInto, g711Factory } from '../g711/g711-codec.ts';
import { alawTables } from '../g711/tables.ts';

export const pcmaInfo: CodecInfo = {
  name: 'PCMA',
  clockRate: 8000,
  sampleRate: 8000,
  channels: 1,
  payloadType: 8,
  frameMs: 20,
  priority: 70,
};

export const pcma: CodecFactory = g711Factory(pcmaInfo, alawTables);

/** Relay hot path: A-law encode into out[offset…] without allocating; returns bytes written. */
export function alawEncodeInto(pcm: Int16Array, out: Uint8Array, offset = 0): number {
  return g711EncodeInto(alawTables().encode, pcm, out, offset);
}

/** Relay hot path: A-law decode into out without allocating; returns samples written. */
export function alawDecodeInto(payload: Uint8Array, out: Int16Array): number {
  return g711DecodeInto(alawTables().decode, payload, out);
}
