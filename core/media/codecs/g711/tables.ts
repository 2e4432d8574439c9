// G.711 companding (ITU-T G.711 section 2), written from the segment definitions. The bit-level functions
// are the reference; the hot path uses lookup tables built from them: a 64K-entry Int16→byte encode table
// and a 256-entry byte→Int16 decode table. An N-API call would cost more than this per frame, so G.711
// stays in TypeScript.

const ULAW_BIAS = 0x84; // 132: shifts the segment boundaries onto powers of two
const ULAW_CLIP = 32635; // largest magnitude that still fits the top segment after the bias

/** 16-bit linear → µ-law byte (bits inverted, as transmitted). Negative values use the one's complement
 *  (-s - 1), as ITU-T G.191's reference coder does, so -1 and 0 both encode to the smallest step. */
export function linearToUlaw(sample: number): number {
  let s = sample | 0;
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = ~s;
  if (s > ULAW_CLIP) s = ULAW_CLIP;
  s += ULAW_BIAS;
  const exponent = 31 - Math.clz32(s) - 7; // segment: position of the top bit above bit 7
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + ULAW_BIAS) << exponent) - ULAW_BIAS;
  return (u & 0x80 ? -magnitude : magnitude) | 0; // | 0: 0x7F decodes to 0, not -0
}

/** 16-bit linear → A-law byte (even bits inverted, as transmitted). Works on the 13-bit magnitude;
 *  negative values use the one's complement so the code is symmetric about zero (G.711 table 1a). */
export function linearToAlaw(sample: number): number {
  const s = sample | 0;
  const positive = s >= 0;
  const magnitude = (positive ? s : ~s) >> 3; // 0..4095
  let code: number;
  if (magnitude < 32) {
    code = magnitude >> 1;
  } else {
    const exponent = 31 - Math.clz32(magnitude) - 4; // 1..7
    code = (exponent << 4) | ((magnitude >> exponent) & 0x0f);
  }
  return ((positive ? 0x80 : 0) | code) ^ 0x55;
}

export function alawToLinear(byte: number): number {
  const a = (byte ^ 0x55) & 0xff;
  const exponent = (a >> 4) & 0x07;
  const mantissa = a & 0x0f;
  // Decode to the middle of the quantisation step (the +8 / +0x108 terms).
  const magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return a & 0x80 ? magnitude : -magnitude;
}

export interface G711Tables {
  /** Indexed by (sample & 0xffff). */
  readonly encode: Uint8Array;
  readonly decode: Int16Array;
}

function build(enc: (s: number) => number, dec: (b: number) => number): G711Tables {
  const encode = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) encode[i] = enc((i << 16) >> 16);
  const decode = new Int16Array(256);
  for (let b = 0; b < 256; b++) decode[b] = dec(b);
  return { encode, decode };
}

// Built on first use, not at import: a process that never touches G.711 pays nothing.
let ulaw: G711Tables | undefined;
let alaw: G711Tables | undefined;

export function ulawTables(): G711Tables {
  return (ulaw ??= build(linearToUlaw, ulawToLinear));
}

export function alawTables(): G711Tables {
  return (alaw ??= build(linearToAlaw, alawToLinear));
}
