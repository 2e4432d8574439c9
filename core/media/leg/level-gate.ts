// Decoding gated by level, for a leg whose every consumer only wants its audio while the party talks
// (a conference mixer: a silent party adds nothing to the mix). Most conference parties are silent at
// any moment, and the jitter buffer, concealment and decode of their packets is most of a mixer
// tick's cost. For G.711 the level of a payload is a table lookup per byte, so each packet is judged
// on arrival: the gate opens on the first packet at or above the talk threshold, and closes (the
// caller flushes the decoder) once nothing loud has come for `holdMs`, which outlasts the mixer's own
// hangover plus the jitter buffer's delay so a talkspurt is never cut short by the gate.
// Other codecs are not judged (the gate stays open): their level needs a decode.

import type { CodecFactory } from '../codec-lookup.ts';
import { alawTables, ulawTables } from '../codecs/g711/tables.ts';

const FULL_SCALE = 32768;

/** Per G.711 byte: the decoded sample squared. */
function squares(decode: Int16Array): Float64Array {
  const out = new Float64Array(256);
  for (let b = 0; b < 256; b++) out[b] = decode[b]! * decode[b]!;
  return out;
}

let ulawSquares: Float64Array | undefined;
let alawSquares: Float64Array | undefined;

function squaresFor(codec: CodecFactory): Float64Array | undefined {
  const name = codec.info.name.toUpperCase();
  if (name === 'PCMU') return (ulawSquares ??= squares(ulawTables().decode));
  if (name === 'PCMA') return (alawSquares ??= squares(alawTables().decode));
  return undefined;
}

export class LevelGate {
  private table: Float64Array | undefined;
  private codec: CodecFactory | undefined;
  /** Mean square at the threshold (same dBFS convention as rmsLevel: a full-scale sine is 0 dBFS). */
  private readonly minMeanSquare: number;
  private loudAtMs = Number.NEGATIVE_INFINITY;
  open = false;

  constructor(
    thresholdDbfs: number,
    private readonly holdMs: number,
  ) {
    const rms = (10 ** (thresholdDbfs / 20) * FULL_SCALE) / Math.SQRT2;
    this.minMeanSquare = rms * rms;
  }

  /** The codec the leg receives; false when its level cannot be judged without decoding. */
  configure(codec: CodecFactory | undefined): boolean {
    this.codec = codec;
    this.table = codec ? squaresFor(codec) : undefined;
    this.open = false;
    return this.table !== undefined;
  }

  get judges(): boolean {
    return this.table !== undefined;
  }

  /** Whether the packet (payload at buf[offset], of `codec`) goes on to the decoder. */
  admit(codec: CodecFactory, buf: Uint8Array, offset: number, length: number, nowMs: number): boolean {
    const t = this.table;
    if (t === undefined || codec !== this.codec || length === 0) return true;
    let sum = 0;
    for (let i = offset, end = offset + length; i < end; i++) sum += t[buf[i]!]!;
    if (sum >= this.minMeanSquare * length) {
      this.open = true;
      this.loudAtMs = nowMs;
    }
    return this.open;
  }

  /** Close the gate when the party has been quiet for holdMs; true when it just closed. */
  closeIfQuiet(nowMs: number): boolean {
    if (!this.open || nowMs - this.loudAtMs <= this.holdMs) return false;
    this.open = false;
    return true;
  }
}
