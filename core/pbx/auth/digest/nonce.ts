// Nonces that cost nothing until used: each is a MAC-signed issue time (so a flood of
// unanswered challenges keeps no state), checked without a lookup. Only a nonce that came back
// with a valid digest is remembered, with a small window of the nonce counts seen, so a
// captured (nonce, nc, response) cannot be replayed (RFC 7616 §3.3 nc, §5.5 replay).
import { createCipheriv, createHash, randomBytes, timingSafeEqual, type Cipher } from 'node:crypto';
import type { Clock } from '../../../sip/util/clock.ts';

export type NonceVerdict = 'fresh' | 'stale' | 'replay';

export interface NonceOptions {
  clock: Clock;
  /** Age after which a nonce is stale. */
  ttlMs: number;
  /** Used nonces whose nc history is kept; past it the oldest go first. */
  maxTracked: number;
  /** HMAC key; random per process unless several app instances must accept each other's nonces. */
  secret?: Buffer;
}

const TIME_BYTES = 6;
const RANDOM_BYTES = 6;
const MAC_BYTES = 12;
const PAYLOAD = TIME_BYTES + RANDOM_BYTES;
/** nc values below the highest one seen that may still arrive late (UDP reordering). */
const WINDOW = 32;
/** A nonce dated this far ahead of our clock was not made by us. */
const MAX_SKEW_MS = 5000;

interface Seen {
  issuedAt: number;
  top: number;
  /** Bit k set: nc = top - k was seen. */
  mask: number;
}

export class NonceService {
  /** The MAC: AES-256 over the payload as one block (see mac()). */
  private readonly cipher: Cipher;
  /** Nonces issued before this process started lost their nc history with the old process. */
  private readonly bootAt: number;
  private readonly seen = new Map<string, Seen>();
  private readonly random = new RandomPool();
  /** Newest issue time among evicted entries: such nonces are treated as stale, not as new. */
  private evictedUpTo = -Infinity;

  constructor(private readonly opts: NonceOptions) {
    // Any length of shared secret becomes one AES-256 key.
    const key = createHash('sha256').update(opts.secret ?? randomBytes(32)).digest();
    this.cipher = createCipheriv('aes-256-ecb', key, null);
    this.cipher.setAutoPadding(false);
    this.bootAt = opts.clock.now();
  }

  issue(): string {
    const payload = Buffer.alloc(PAYLOAD);
    payload.writeUIntBE(Math.max(0, Math.floor(this.opts.clock.now())), 0, TIME_BYTES);
    this.random.copyTo(payload, TIME_BYTES, RANDOM_BYTES);
    return Buffer.concat([payload, this.mac(payload)]).toString('base64url');
  }

  /**
   * Call once the digest itself checked out. `nc` is undefined when the client sent no qop
   * (RFC 2069 style): such a nonce is good for one request.
   */
  use(nonce: string, nc: number | undefined): NonceVerdict {
    const issuedAt = this.issuedAt(nonce);
    const now = this.opts.clock.now();
    if (issuedAt === undefined || issuedAt < this.bootAt || issuedAt > now + MAX_SKEW_MS) return 'stale';
    if (now - issuedAt > this.opts.ttlMs) return 'stale';
    const count = nc ?? 1;
    if (!Number.isSafeInteger(count) || count < 1) return 'replay';
    const entry = this.seen.get(nonce);
    if (!entry) {
      if (issuedAt <= this.evictedUpTo) return 'stale';
      this.seen.set(nonce, { issuedAt, top: count, mask: 1 });
      this.evictOverflow();
      return 'fresh';
    }
    return record(entry, count) ? 'fresh' : 'replay';
  }

  /** Forget nonces that are past their age anyway. */
  prune(): void {
    const oldest = this.opts.clock.now() - this.opts.ttlMs;
    for (const [nonce, e] of this.seen) if (e.issuedAt < oldest) this.seen.delete(nonce);
  }

  get tracked(): number {
    return this.seen.size;
  }

  private issuedAt(nonce: string): number | undefined {
    if (nonce.length > 64 || !/^[A-Za-z0-9_-]+$/.test(nonce)) return undefined;
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== PAYLOAD + MAC_BYTES) return undefined;
    const payload = raw.subarray(0, PAYLOAD);
    if (!timingSafeEqual(raw.subarray(PAYLOAD), this.mac(payload))) return undefined;
    return payload.readUIntBE(0, TIME_BYTES);
  }

  /**
   * The payload (12 bytes, zero-padded to one 16-byte block) encrypted with AES-256: a block
   * cipher on a single fixed-length block is a pseudorandom function, hence a sound MAC, and one
   * reused cipher costs a third of a fresh HMAC per challenge and per check (two per REGISTER).
   */
  private mac(payload: Buffer): Buffer {
    const block = Buffer.alloc(16);
    payload.copy(block);
    return this.cipher.update(block).subarray(0, MAC_BYTES);
  }

  private evictOverflow(): void {
    while (this.seen.size > this.opts.maxTracked) {
      const [nonce, e] = this.seen.entries().next().value as [string, Seen];
      this.seen.delete(nonce);
      this.evictedUpTo = Math.max(this.evictedUpTo, e.issuedAt);
    }
  }
}

/**
 * Random bytes fetched 4 KB at a time: every challenge needs six, and one call into the system's
 * generator costs about as much as the whole rest of issuing a nonce.
 */
class RandomPool {
  private pool = Buffer.alloc(0);
  private at = 0;

  copyTo(target: Buffer, offset: number, n: number): void {
    if (this.at + n > this.pool.length) {
      this.pool = randomBytes(4096);
      this.at = 0;
    }
    this.pool.copy(target, offset, this.at, this.at + n);
    this.at += n;
  }
}

/** Sliding-window replay check (as IPsec's): true if `nc` is new. */
function record(e: Seen, nc: number): boolean {
  if (nc > e.top) {
    const shift = nc - e.top;
    e.mask = shift >= WINDOW ? 1 : ((e.mask << shift) | 1) >>> 0;
    e.top = nc;
    return true;
  }
  const age = e.top - nc;
  if (age >= WINDOW) return false;
  const bit = (1 << age) >>> 0;
  if (e.mask & bit) return false;
  e.mask = (e.mask | bit) >>> 0;
  return true;
}
