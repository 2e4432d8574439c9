// Logged-in browser sessions, in memory: a restart of the PBX app logs everyone out, which is the
// safe direction. Ids and CSRF tokens are 256-bit random; a session ends after `idleMs` without a
// request, `maxAgeMs` after login, on logout, or when the PIN changes elsewhere.
import { randomBytes } from 'node:crypto';

export interface WebSession {
  readonly id: string;
  readonly mailbox: string;
  readonly csrfToken: string;
  readonly createdAt: number;
  lastSeenAt: number;
}

export interface SessionStoreOptions {
  clock: { now(): number };
  idleMs: number;
  maxAgeMs: number;
  /** Past it the least recently used session is dropped. */
  maxSessions: number;
}

export class SessionStore {
  // Map order is least recently used first (touch re-inserts), for eviction.
  private readonly sessions = new Map<string, WebSession>();

  constructor(private readonly opts: SessionStoreOptions) {}

  create(mailbox: string): WebSession {
    this.prune();
    const now = this.opts.clock.now();
    const s: WebSession = { id: token(), mailbox, csrfToken: token(), createdAt: now, lastSeenAt: now };
    this.sessions.set(s.id, s);
    while (this.sessions.size > this.opts.maxSessions) this.sessions.delete(this.sessions.keys().next().value as string);
    return s;
  }

  /** The live session with this id, now marked used; an expired one is dropped. */
  touch(id: string): WebSession | undefined {
    const s = this.sessions.get(id);
    if (!s) return undefined;
    const now = this.opts.clock.now();
    this.sessions.delete(id);
    if (this.expired(s, now)) return undefined;
    s.lastSeenAt = now;
    this.sessions.set(id, s);
    return s;
  }

  destroy(id: string): boolean {
    return this.sessions.delete(id);
  }

  /** Ends every session of a mailbox but `keepId` (after a PIN change). */
  destroyMailbox(mailbox: string, keepId?: string): number {
    let n = 0;
    for (const s of [...this.sessions.values()]) {
      if (s.mailbox === mailbox && s.id !== keepId) n += this.sessions.delete(s.id) ? 1 : 0;
    }
    return n;
  }

  prune(): number {
    const now = this.opts.clock.now();
    let n = 0;
    for (const s of [...this.sessions.values()]) if (this.expired(s, now)) n += this.sessions.delete(s.id) ? 1 : 0;
    return n;
  }

  get size(): number {
    return this.sessions.size;
  }

  private expired(s: WebSession, now: number): boolean {
    return now - s.lastSeenAt >= this.opts.idleMs || now - s.createdAt >= this.opts.maxAgeMs;
  }
}

function token(): string {
  return randomBytes(32).toString('base64url');
}
