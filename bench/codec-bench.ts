// Per-frame codec cost: µs of one thread per 20 ms frame. Run: node --import tsx bench/codec-bench.ts
// Opus is measured on real speech (an Asterisk prompt when installed): on tones or noise it picks cheaper
// modes and looks 2–3× faster than it is (shared/research/media.md 3a).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { frameSamples, type CodecFactory } from '../core/media/codecs/codec.ts';
import { DtmfDetector } from '../core/media/codecs/dtmf/detector.ts';
import { g722 } from '../core/media/codecs/g722/index.ts';
import { gsm } from '../core/media/codecs/gsm/index.ts';
import { opusCodec, type OpusSampleRate } from '../core/media/codecs/opus/index.ts';
import { pcmu, ulawDecodeInto, ulawEncodeInto } from '../core/media/codecs/pcmu/index.ts';
import { createResampler } from '../core/media/codecs/resampler.ts';
import { loadNative } from '../core/media/native/index.ts';

const PROMPTS = '/usr/share/asterisk/sounds/en_US_f_Allison';
const ROUNDS = 5;
const ROUND_MS = 150;

/** 8 kHz 16-bit mono speech: concatenated Asterisk prompts, or a synthetic vowel-like signal. */
function speech8k(): { pcm: Int16Array; source: string } {
  if (existsSync(PROMPTS)) {
    const files = readdirSync(PROMPTS).filter((f) => f.endsWith('.wav')).sort().slice(0, 40);
    const parts = files.map((f) => wavData(readFileSync(`${PROMPTS}/${f}`)));
    const pcm = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      pcm.set(p, at);
      at += p.length;
    }
    return { pcm, source: `${files.length} Asterisk prompts, ${(pcm.length / 8000).toFixed(1)} s` };
  }
  const pcm = new Int16Array(8000 * 10);
  for (let i = 0; i < pcm.length; i++) {
    const t = i / 8000;
    const f0 = 120 + 20 * Math.sin(2 * Math.PI * 3 * t);
    let v = 0;
    for (let h = 1; h < 25; h++) v += Math.sin(2 * Math.PI * f0 * h * t) / h;
    pcm[i] = Math.round(4000 * v * (0.5 + 0.5 * Math.sin(2 * Math.PI * 2 * t)));
  }
  return { pcm, source: 'synthetic voiced signal (Asterisk prompts not installed)' };
}

function wavData(file: Buffer): Int16Array {
  for (let at = 12; at + 8 <= file.length; ) {
    const id = file.toString('ascii', at, at + 4);
    const size = file.readUInt32LE(at + 4);
    if (id === 'data') {
      const bytes = file.subarray(at + 8, at + 8 + size);
      const out = new Int16Array(bytes.length >> 1);
      for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(2 * i);
      return out;
    }
    at += 8 + size + (size & 1);
  }
  return new Int16Array(0);
}

function toRate(pcm8k: Int16Array, rate: number): Int16Array {
  return rate === 8000 ? pcm8k : createResampler(8000, rate, 10).process(pcm8k);
}

function frames(pcm: Int16Array, size: number): Int16Array[] {
  const out: Int16Array[] = [];
  for (let i = 0; i + size <= pcm.length; i += size) out.push(pcm.slice(i, i + size));
  return out;
}

/** CPU µs per call of op(i), cycling over the inputs: the best of ROUNDS rounds of at least ROUND_MS each,
 *  after a warm-up. CPU time rather than wall time, and the best round, so that other load on a shared
 *  machine inflates the figures as little as possible. */
function time(op: (i: number) => void): number {
  for (let i = 0; i < 200; i++) op(i);
  let calls = 0;
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.cpuUsage();
    let used = 0;
    let n = 0;
    while (used < ROUND_MS * 1000) {
      for (let k = 0; k < 100; k++) op(calls++);
      n += 100;
      const d = process.cpuUsage(start);
      used = d.user + d.system;
    }
    best = Math.min(best, used / n);
  }
  return best;
}

const rows: { what: string; us: number; note?: string }[] = [];

function benchCodec(label: string, factory: CodecFactory, speech: Int16Array): void {
  const input = frames(speech, frameSamples(factory.info));
  const enc = factory.createEncoder();
  const payloads = input.map((f) => enc.encode(f));
  const avg = payloads.reduce((n, p) => n + p.length, 0) / payloads.length;
  rows.push({ what: `${label} encode`, us: time((i) => enc.encode(input[i % input.length]!)), note: `${avg.toFixed(0)} B/frame` });
  const dec = factory.createDecoder();
  rows.push({ what: `${label} decode`, us: time((i) => dec.decode(payloads[i % payloads.length]!)) });
  enc.close?.();
  dec.close?.();
}

const { pcm, source } = speech8k();
const native = loadNative();

// PCMU: the relay hot path (no allocation) and the allocating interface methods.
{
  const input = frames(pcm, 160);
  const out = Buffer.alloc(160);
  const back = new Int16Array(160);
  rows.push({ what: 'PCMU encodeInto (LUT, no alloc)', us: time((i) => ulawEncodeInto(input[i % input.length]!, out)) });
  const payloads = input.map((f) => pcmu.createEncoder().encode(f));
  rows.push({ what: 'PCMU decodeInto (LUT, no alloc)', us: time((i) => ulawDecodeInto(payloads[i % payloads.length]!, back)) });
  benchCodec('PCMU Encoder/Decoder (+PLC history)', pcmu, pcm);
}

for (const [rate, complexity] of [[8000, 5], [16000, 5], [48000, 5], [48000, 10]] as const) {
  benchCodec(`Opus ${rate / 1000}k cx${complexity}`, opusCodec({ sampleRate: rate as OpusSampleRate, complexity }), toRate(pcm, rate));
}
{
  const dec = opusCodec().createDecoder();
  rows.push({ what: 'Opus 16k PLC (conceal 20 ms)', us: time(() => dec.conceal(320)) });
  dec.close?.();
}
benchCodec('G.722', g722, toRate(pcm, 16000));
benchCodec('GSM', gsm, pcm);

for (const [from, to, q] of [[8000, 16000, 4], [8000, 48000, 4], [48000, 8000, 4], [8000, 48000, 3], [16000, 48000, 4]] as const) {
  const input = frames(toRate(pcm, from), from / 50);
  const rs = createResampler(from, to, q);
  const out = new Int16Array(rs.maxOutput(from / 50));
  rows.push({ what: `resample ${from / 1000}k→${to / 1000}k q${q} (processInto)`, us: time((i) => rs.processInto(input[i % input.length]!, out)) });
  rs.close();
}

{
  const det = new DtmfDetector();
  const input = frames(pcm, 160);
  rows.push({ what: 'DTMF detect (Goertzel, 8 tones)', us: time((i) => det.process(input[i % input.length]!)) });
}

console.log(`codec cost per 20 ms frame, one thread — Node ${process.version}, ${native.features.opusVersion}`);
console.log(`signal: ${source}\n`);
const width = Math.max(...rows.map((r) => r.what.length));
console.log(`${'operation'.padEnd(width)}  CPU µs/frame`);
for (const r of rows) console.log(`${r.what.padEnd(width)}  ${r.us.toFixed(2).padStart(12)}${r.note ? `  (${r.note})` : ''}`);
