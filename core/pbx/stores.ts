import type { PbxConfig } from '../config/schema.ts';
import type { Clock } from '../sip/util/clock.ts';
import type { Db } from './store/db.ts';
import type { BindingStore } from './store/binding-store.ts';
import { SqliteBindingStore } from './store/bindings.ts';
import { CachedBindingStore } from './store/cached-bindings.ts';
import { CdrStore } from './store/cdr.ts';
import { ExternalChanges } from './store/external-changes.ts';
import { UserStore } from './store/users.ts';
import type { WriteBatch } from './store/write-batch.ts';
import { UserAdmin } from './users/user-admin.ts';
import { realmOf } from './settings.ts';

export interface PbxStores {
  users: UserStore;
  bindings: BindingStore;
  cdrs: CdrStore;
  admin: UserAdmin;
}

/**
 * The stores on one database. With a WriteBatch (the long-running app) users and bindings are
 * held in memory and hot writes are batched; without one (the CLI, one command and out) every
 * call goes to the file.
 */
export function createStores(db: Db, cfg: PbxConfig, clock: Clock, opts: { batch?: WriteBatch } = {}): PbxStores {
  const external = opts.batch ? new ExternalChanges(db) : undefined;
  const users = new UserStore(db, { realm: realmOf(cfg), now: () => clock.now(), ...(external ? { cache: external } : {}) });
  const sql = new SqliteBindingStore(db);
  const bindings = opts.batch && external ? new CachedBindingStore(sql, opts.batch, external) : sql;
  const cdrs = new CdrStore(db, opts.batch ? { batch: opts.batch } : {});
  return { users, bindings, cdrs, admin: new UserAdmin({ users, bindings, domain: cfg.pbx.domain }) };
}
