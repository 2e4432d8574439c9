// Table-driven G.711 encoder/decoder shared by PCMU and PCMA. The *Into functions are the relay hot path:
// one table lookup per sample and no allocation.
import type { CodecFactory, CodecInfo, Decoder, Encoder } from '../codec.ts';
import { WaveformPlc } from '../plc/waveform-plc.ts';
import type { G711Tables } from './tables.ts';

/** Encode pcm into out[offset…] with the given 64K table; returns bytes written (= pcm.length). */
export function g711EncodeInto(table: Uint8Array, pcm: Int16Array, out: Uint8Array, offset: number): number {
  const n = pcm.length;
  for (let i = 0; i < n; i++) out[offset + i] = table[pcm[i]! & 0xffff]!;
  return n;
}

/** Decode payload into out with the given 256-entry table; returns samples written. */
export function g711DecodeInto(table: Int16Array, payload: Uint8Array, out: Int16Array): number {
  const n = Math.min(payload.length, out.length);
  for (let i = 0; i < n; i++) out[i] = table[payload[i]!]!;
  return n;
}

class G711Encoder implements Encoder {
  constructor(
    readonly info: CodecInfo,
    private readonly table: Uint8Array,
  ) {}

  encode(pcm: Int16Array): Buffer {
    const out = Buffer.allocUnsafe(pcm.length);
    g711EncodeInto(this.table, pcm, out, 0);
    return out;
  }

  encodeInto(pcm: Int16Array, out: Buffer, offset: number): number {
    return g711EncodeInto(this.table, pcm, out, offset);
  }
}

class G711Decoder implements Decoder {
  private readonly plc: WaveformPlc;

  constructor(
    readonly info: CodecInfo,
    private readonly table: Int16Array,
  ) {
    this.plc = new WaveformPlc(info.sampleRate);
  }

  decode(payload: Buffer): Int16Array {
    const out = new Int16Array(payload.length);
    this.decodeInto(payload, out);
    return out;
  }

  decodeInto(payload: Buffer, out: Int16Array): number {
    const n = g711DecodeInto(this.table, payload, out);
    this.plc.observe(out, n);
    return n;
  }

  conceal(samples: number): Int16Array {
    return this.plc.conceal(new Int16Array(samples));
  }

  reset(): void {
    this.plc.reset();
  }
}

export function g711Factory(info: CodecInfo, tables: () => G711Tables): CodecFactory {
  return {
    info,
    createEncoder: () => new G711Encoder(info, tables().encode),
    createDecoder: () => new G711Decoder(info, tables().decode),
  };
}
