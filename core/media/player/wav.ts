// Reading WAV files into mono 16-bit PCM: PCM 8/16-bit, µ-law, A-law and WAVE_FORMAT_EXTENSIBLE
// PCM, any channel count (averaged to mono). Asterisk prompts are 8 kHz 16-bit mono.

import { findCodec } from '../codec-lookup.ts';

export interface WavAudio {
  rate: number;
  samples: Int16Array;
}

const PCM = 1;
const ALAW = 6;
const ULAW = 7;
const EXTENSIBLE = 0xfffe;

export function parseWav(buf: Buffer): WavAudio {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let off = 12;
  let fmt: { format: number; channels: number; rate: number; bits: number } | undefined;
  let data: Buffer | undefined;
  for (let guard = 0; off + 8 <= buf.length && guard < 64; guard++) {
    const id = buf.toString('ascii', off, off + 4);
    let size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    // A header left unpatched by a crashed recorder (or streaming writer) says 0 or 0xFFFFFFFF.
    if (id === 'data' && (size === 0 || body + size > buf.length)) size = buf.length - body;
    if (id === 'fmt ' && size >= 16) {
      let format = buf.readUInt16LE(body);
      if (format === EXTENSIBLE && size >= 26) format = buf.readUInt16LE(body + 24);
      fmt = { format, channels: buf.readUInt16LE(body + 2), rate: buf.readUInt32LE(body + 4), bits: buf.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      data = buf.subarray(body, body + size);
      break;
    }
    off = body + size + (size & 1);
  }
  if (!fmt) throw new Error('WAV without fmt chunk');
  if (!data) throw new Error('WAV without data chunk');
  return { rate: fmt.rate, samples: toMono(decodeSamples(fmt.format, fmt.bits, data), fmt.channels) };
}

function decodeSamples(format: number, bits: number, data: Buffer): Int16Array {
  if (format === PCM && bits === 16) {
    const out = new Int16Array(data.length >> 1);
    for (let i = 0; i < out.length; i++) out[i] = data.readInt16LE(i * 2);
    return out;
  }
  if (format === PCM && bits === 8) {
    const out = new Int16Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = (data[i]! - 128) << 8;
    return out;
  }
  if ((format === ULAW || format === ALAW) && bits === 8) {
    return findCodec(format === ULAW ? 'PCMU' : 'PCMA')!.createDecoder().decode(data);
  }
  throw new Error(`unsupported WAV format ${format}/${bits}-bit`);
}

function toMono(samples: Int16Array, channels: number): Int16Array {
  if (channels <= 1) return samples;
  const out = new Int16Array(Math.floor(samples.length / channels));
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[i * channels + c]!;
    out[i] = Math.round(sum / channels);
  }
  return out;
}

/** A canonical 44-byte PCM header; `dataBytes` may be patched later. */
export function wavHeader(rate: number, dataBytes: number, channels = 1): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(PCM, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

export function encodeWav(rate: number, samples: Int16Array): Buffer {
  const body = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) body.writeInt16LE(samples[i]!, i * 2);
  return Buffer.concat([wavHeader(rate, body.length), body]);
}
