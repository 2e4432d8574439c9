// Golden-file checks shared by the PCMU and PCMA tests (fixtures in pcmu/testdata and pcma/testdata).
import { readFileSync } from 'node:fs';

export function readS16le(url: URL): Int16Array {
  const b = readFileSync(url);
  const out = new Int16Array(b.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = b.readInt16LE(2 * i);
  return out;
}

export interface SweepComparison {
  mismatches: number;
  /** Mismatches where the two codes are not neighbouring quantisation levels. */
  nonAdjacent: number;
}

/** Compares our encoding of a sweep with the reference's. Codes are neighbours when no decode level lies
 *  strictly between their two decoded values. */
export function compareSweep(ours: Uint8Array, reference: Uint8Array, decode: Int16Array): SweepComparison {
  const levels = [...new Set(decode)].sort((a, b) => a - b);
  const rank = new Map(levels.map((v, i) => [v, i]));
  let mismatches = 0;
  let nonAdjacent = 0;
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i]!;
    const b = reference[i]!;
    if (a === b) continue;
    mismatches++;
    const ra = rank.get(decode[a]!) ?? 0;
    const rb = rank.get(decode[b]!) ?? 0;
    if (Math.abs(ra - rb) !== 1) nonAdjacent++;
  }
  return { mismatches, nonAdjacent };
}
