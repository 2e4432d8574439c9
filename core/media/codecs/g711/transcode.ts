// PCMU <-> PCMA without going through 16-bit PCM: a bridge between a µ-law and an A-law phone then costs
// one byte lookup per sample. The 256-entry tables are decode-then-encode, built on first use.
import { alawTables, ulawTables } from './tables.ts';

let u2a: Uint8Array | undefined;
let a2u: Uint8Array | undefined;

function compose(decode: Int16Array, encode: Uint8Array): Uint8Array {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = encode[decode[b]! & 0xffff]!;
  return t;
}

function translate(table: Uint8Array, input: Uint8Array, out: Uint8Array, offset: number): number {
  const n = input.length;
  for (let i = 0; i < n; i++) out[offset + i] = table[input[i]!]!;
  return n;
}

/** µ-law payload → A-law into out[offset…]; returns bytes written. `out` may be `input` itself. */
export function ulawToAlawInto(input: Uint8Array, out: Uint8Array, offset = 0): number {
  u2a ??= compose(ulawTables().decode, alawTables().encode);
  return translate(u2a, input, out, offset);
}

/** A-law payload → µ-law into out[offset…]; returns bytes written. `out` may be `input` itself. */
export function alawToUlawInto(input: Uint8Array, out: Uint8Array, offset = 0): number {
  a2u ??= compose(alawTables().decode, ulawTables().encode);
  return translate(a2u, input, out, offset);
}
