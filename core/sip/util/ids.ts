// Identifier generation: random, URL/SIP-token safe, cheap on the hot path.
import { randomBytes } from 'node:crypto';

let pool = randomBytes(4096);
let pos = 0;

function bytes(n: number): Buffer {
  if (pos + n > pool.length) {
    pool = randomBytes(4096);
    pos = 0;
  }
  const out = pool.subarray(pos, pos + n);
  pos += n;
  return out;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomToken(len = 16): string {
  const b = bytes(len);
  let s = '';
  for (let i = 0; i < len; i++) s += ALPHABET[b[i]! % 62];
  return s;
}

/** RFC 3261 §8.1.1.7: branch ids start with the magic cookie. */
export const newBranch = (): string => 'z9hG4bK' + randomToken(20);
export const newTag = (): string => randomToken(12);
export const newCallId = (): string => randomToken(24);

let seq = 0;
/** Random per process, so ids of an engine that restarted never repeat the previous one's. */
const ID_PREFIX = randomToken(6);
/** Unique within this process; the engine hands these to apps as txnIds and message ids. */
export function newId(): string {
  // Never wraps in practice (2^53), so an id is never handed out twice by one process.
  seq += 1;
  return ID_PREFIX + seq.toString(36);
}
