// Just enough WAV header reading to check an uploaded greeting's format and to measure a recording
// whose header lags its data (the media server patches sizes once a second; a crash can leave the
// header short of the samples that made it to disk).
import { closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';

export class WavFormatError extends Error {}

export interface WavFormat {
  /** 1 = PCM (WAVE_FORMAT_EXTENSIBLE is reported as its sub-format). */
  format: number;
  channels: number;
  rate: number;
  bits: number;
  blockAlign: number;
  /** Where the samples start. */
  dataOffset: number;
  /** The data size the header claims (may be stale). */
  declaredBytes: number;
}

const PCM = 1;
const EXTENSIBLE = 0xfffe;
export const GREETING_RATES: readonly number[] = [8000, 16000, 48000];

/** Parses the chunks up to `data`; `head` need not hold the samples. */
export function readWavFormat(head: Buffer): WavFormat {
  if (head.length < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') {
    throw new WavFormatError('not a RIFF/WAVE file');
  }
  let fmt: Omit<WavFormat, 'dataOffset' | 'declaredBytes'> | undefined;
  let off = 12;
  for (let guard = 0; off + 8 <= head.length && guard < 64; guard++) {
    const id = head.toString('ascii', off, off + 4);
    const size = head.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > head.length) throw new WavFormatError('WAV fmt chunk is too short');
      let format = head.readUInt16LE(body);
      if (format === EXTENSIBLE && size >= 26 && body + 26 <= head.length) format = head.readUInt16LE(body + 24);
      fmt = {
        format,
        channels: head.readUInt16LE(body + 2),
        rate: head.readUInt32LE(body + 4),
        blockAlign: head.readUInt16LE(body + 12),
        bits: head.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!fmt) throw new WavFormatError('WAV data chunk before its fmt chunk');
      if (fmt.blockAlign === 0 || fmt.rate === 0) throw new WavFormatError('WAV fmt chunk has a zero rate or block size');
      return { ...fmt, dataOffset: body, declaredBytes: size };
    }
    off = body + size + (size & 1);
  }
  throw new WavFormatError(fmt ? 'WAV without a data chunk' : 'WAV without a fmt chunk');
}

/** A greeting the media server can play as it is: 16-bit PCM mono at a rate it handles natively. */
export function checkGreetingWav(wav: Buffer): WavFormat {
  const f = readWavFormat(wav);
  const problems: string[] = [];
  if (f.format !== PCM) problems.push(`format ${f.format} is not PCM`);
  if (f.bits !== 16) problems.push(`${f.bits}-bit samples`);
  if (f.channels !== 1) problems.push(`${f.channels} channels`);
  if (!GREETING_RATES.includes(f.rate)) problems.push(`${f.rate} Hz`);
  if (problems.length) {
    throw new WavFormatError(`greeting must be a 16-bit PCM mono WAV at ${GREETING_RATES.join(', ')} Hz (got ${problems.join(', ')})`);
  }
  if (f.declaredBytes < 2 || f.dataOffset + f.declaredBytes > wav.length) {
    throw new WavFormatError('greeting WAV has no audio or its data chunk is cut short');
  }
  return f;
}

export interface MeasuredWav extends WavFormat {
  /** Whole sample frames on disk after dataOffset, whatever the header says. */
  dataBytes: number;
  durationMs: number;
  fileBytes: number;
}

const HEAD_BYTES = 4096;

/** Measures a WAV on disk from its size; undefined when it is missing or has no usable header. */
export function measureWavFile(path: string): MeasuredWav | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const fileBytes = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(HEAD_BYTES, fileBytes));
    readSync(fd, head, 0, head.length, 0);
    const f = readWavFormat(head);
    const raw = Math.max(0, fileBytes - f.dataOffset);
    const dataBytes = raw - (raw % f.blockAlign);
    const durationMs = Math.floor((dataBytes / f.blockAlign / f.rate) * 1000);
    return { ...f, dataBytes, durationMs, fileBytes };
  } catch (err) {
    if (err instanceof WavFormatError) return undefined;
    throw err;
  } finally {
    closeSync(fd);
  }
}

/** Makes the header's sizes match the samples on disk (players stop where the header says). */
export function repairWavHeader(path: string, m: MeasuredWav): boolean {
  const riffBytes = m.dataOffset - 8 + m.dataBytes;
  const end = m.dataOffset + m.dataBytes;
  if (m.declaredBytes === m.dataBytes && m.fileBytes === end) return false;
  const fd = openSync(path, 'r+');
  try {
    const u32 = Buffer.alloc(4);
    u32.writeUInt32LE(riffBytes);
    writeSync(fd, u32, 0, 4, 4);
    u32.writeUInt32LE(m.dataBytes);
    writeSync(fd, u32, 0, 4, m.dataOffset - 4);
    // A torn last sample frame would shift every frame a player reads after it.
    if (m.fileBytes > end) ftruncateSync(fd, end);
  } finally {
    closeSync(fd);
  }
  return true;
}
