// Users and their extensions (table `users`). Input is validated at the edges (user-input.ts);
// this file hashes secrets and keeps the rows.
import type { Db } from './db.ts';
import type { ExternalChanges } from './external-changes.ts';
import { ha1Set, hashPin, pinMatches } from './secrets.ts';
import type { DigestHash } from '../auth/digest/algorithms.ts';

export interface User {
  extension: string;
  displayName: string;
  enabled: boolean;
  /** May register contacts for other extensions (third-party registration, RFC 3261 §10.2). */
  mayRegisterOthers: boolean;
  hasVoicemailPin: boolean;
  /** Realm the password hashes were made for; a different configured realm means `passwd` again. */
  realm: string;
  createdAt: number;
  updatedAt: number;
}

export interface NewUser {
  extension: string;
  password: string;
  displayName?: string;
  voicemailPin?: string;
  enabled?: boolean;
  mayRegisterOthers?: boolean;
}

export interface UserPatch {
  displayName?: string;
  password?: string;
  /** null removes the PIN. */
  voicemailPin?: string | null;
  enabled?: boolean;
  mayRegisterOthers?: boolean;
}

export class UserExistsError extends Error {
  constructor(readonly extension: string) {
    super(`extension ${extension} exists already`);
  }
}

interface Row {
  extension: string;
  display_name: string;
  realm: string;
  ha1_md5: string;
  ha1_sha256: string;
  ha1_sha512_256: string;
  voicemail_pin: string | null;
  enabled: number;
  may_register_others: number;
  created_at: number;
  updated_at: number;
}

const HA1_COLUMN = { MD5: 'ha1_md5', 'SHA-256': 'ha1_sha256', 'SHA-512-256': 'ha1_sha512_256' } as const satisfies Record<DigestHash, keyof Row>;

/** Rows (and misses) remembered at most; past it the cache starts over (a flood of unknown names). */
const MAX_CACHED = 10_000;

export interface UserStoreOptions {
  realm: string;
  now: () => number;
  /**
   * Keep rows in memory (the app: every REGISTER and INVITE reads its user two or three times),
   * dropped on our own writes and whenever another connection (the CLI) committed.
   */
  cache?: ExternalChanges;
}

export class UserStore {
  private readonly q;
  private readonly cache = new Map<string, Row | null>();
  private cacheVersion = 0;

  constructor(
    db: Db,
    private readonly opts: UserStoreOptions,
  ) {
    this.q = {
      get: db.prepare<[string], Row>('SELECT * FROM users WHERE extension = ?'),
      list: db.prepare<[], Row>('SELECT * FROM users ORDER BY length(extension), extension'),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users'),
      insert: db.prepare(
        `INSERT INTO users (extension, display_name, realm, ha1_md5, ha1_sha256, ha1_sha512_256, voicemail_pin,
           enabled, may_register_others, created_at, updated_at)
         VALUES (@extension, @display_name, @realm, @ha1_md5, @ha1_sha256, @ha1_sha512_256, @voicemail_pin,
           @enabled, @may_register_others, @created_at, @updated_at)`,
      ),
      update: db.prepare(
        `UPDATE users SET display_name = @display_name, realm = @realm, ha1_md5 = @ha1_md5, ha1_sha256 = @ha1_sha256,
           ha1_sha512_256 = @ha1_sha512_256, voicemail_pin = @voicemail_pin, enabled = @enabled,
           may_register_others = @may_register_others, updated_at = @updated_at
         WHERE extension = @extension`,
      ),
      remove: db.prepare<[string]>('DELETE FROM users WHERE extension = ?'),
    };
  }

  get realm(): string {
    return this.opts.realm;
  }

  add(u: NewUser): User {
    this.cache.clear();
    if (this.q.get.get(u.extension)) throw new UserExistsError(u.extension);
    const now = this.opts.now();
    const h = ha1Set(u.extension, this.opts.realm, u.password);
    const row: Row = {
      extension: u.extension,
      display_name: u.displayName ?? '',
      realm: h.realm,
      ha1_md5: h.md5,
      ha1_sha256: h.sha256,
      ha1_sha512_256: h.sha512_256,
      voicemail_pin: u.voicemailPin ? hashPin(u.voicemailPin) : null,
      enabled: u.enabled === false ? 0 : 1,
      may_register_others: u.mayRegisterOthers ? 1 : 0,
      created_at: now,
      updated_at: now,
    };
    this.q.insert.run(row);
    return toUser(row);
  }

  get(extension: string): User | undefined {
    const row = this.row(extension);
    return row && toUser(row);
  }

  list(): User[] {
    return this.q.list.all().map(toUser);
  }

  count(): number {
    return this.q.count.get()?.n ?? 0;
  }

  update(extension: string, patch: UserPatch): User | undefined {
    this.cache.clear();
    const row = this.q.get.get(extension);
    if (!row) return undefined;
    const next: Row = { ...row, updated_at: this.opts.now() };
    if (patch.displayName !== undefined) next.display_name = patch.displayName;
    if (patch.enabled !== undefined) next.enabled = patch.enabled ? 1 : 0;
    if (patch.mayRegisterOthers !== undefined) next.may_register_others = patch.mayRegisterOthers ? 1 : 0;
    if (patch.voicemailPin !== undefined) next.voicemail_pin = patch.voicemailPin === null ? null : hashPin(patch.voicemailPin);
    if (patch.password !== undefined) {
      const h = ha1Set(extension, this.opts.realm, patch.password);
      Object.assign(next, { realm: h.realm, ha1_md5: h.md5, ha1_sha256: h.sha256, ha1_sha512_256: h.sha512_256 });
    }
    this.q.update.run(next);
    return toUser(next);
  }

  remove(extension: string): boolean {
    this.cache.clear();
    return this.q.remove.run(extension).changes > 0;
  }

  /** HA1 for digest checks: only for enabled users whose hashes were made for `realm`. */
  ha1(extension: string, realm: string, hash: DigestHash): string | undefined {
    const row = this.row(extension);
    if (!row || !row.enabled || row.realm !== realm) return undefined;
    return row[HA1_COLUMN[hash]];
  }

  verifyPin(extension: string, pin: string): boolean {
    const row = this.row(extension);
    return !!row?.voicemail_pin && pinMatches(row.voicemail_pin, pin);
  }

  /** The row, from the cache when there is one and nothing changed since. Callers never mutate it. */
  private row(extension: string): Row | undefined {
    const external = this.opts.cache;
    if (!external) return this.q.get.get(extension);
    const v = external.version();
    if (v !== this.cacheVersion || this.cache.size >= MAX_CACHED) {
      this.cache.clear();
      this.cacheVersion = v;
    }
    let row = this.cache.get(extension);
    if (row === undefined) {
      row = this.q.get.get(extension) ?? null;
      this.cache.set(extension, row);
    }
    return row ?? undefined;
  }
}

function toUser(r: Row): User {
  return {
    extension: r.extension,
    displayName: r.display_name,
    enabled: r.enabled === 1,
    mayRegisterOthers: r.may_register_others === 1,
    hasVoicemailPin: r.voicemail_pin !== null,
    realm: r.realm,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
