// Modular arithmetic for 16-bit sequence numbers and 32-bit timestamps (RFC 3550 wraps both).

/** Signed distance a→b for 16-bit sequence numbers, in -32768..32767. */
export function seqDelta(a: number, b: number): number {
  return ((((b - a) & 0xffff) + 0x8000) & 0xffff) - 0x8000;
}

/** Signed distance a→b for 32-bit timestamps. */
export function tsDelta(a: number, b: number): number {
  return (b - a) | 0;
}

export const u16 = (n: number): number => n & 0xffff;
export const u32 = (n: number): number => n >>> 0;

export function randomU32(): number {
  return (Math.random() * 0x1_0000_0000) >>> 0;
}

export function randomU16(): number {
  return (Math.random() * 0x1_0000) & 0xffff;
}
