// PCMU: G.711 µ-law, RTP payload type 0 (RFC 3551).
import type { CodecFactory, CodecInfo } from '../codec.ts';
import { g711DecodeInto, g711EncodeInto, g711Factory } from '../g711/g711-codec.ts';
import { ulawTables } from '../g711/tables.ts';

export const pcmuInfo: CodecInfo = {
  name: 'PCMU',
  clockRate: 8000,
  sampleRate: 8000,
  channels: 1,
  payloadType: 0,
  frameMs: 20,
  priority: 80,
};

export const pcmu: CodecFactory = g711Factory(pcmuInfo, ulawTables);

/** Relay hot path: µ-law encode into out[offset…] without allocating; returns bytes written. */
export function ulawEncodeInto(pcm: Int16Array, out: Uint8Array, offset = 0): number {
  return g711EncodeInto(ulawTables().encode, pcm, out, offset);
}

/** Relay hot path: µ-law decode into out without allocating; returns samples written. */
export function ulawDecodeInto(payload: Uint8Array, out: Int16Array): number {
  return g711DecodeInto(ulawTables().decode, payload, out);
}
