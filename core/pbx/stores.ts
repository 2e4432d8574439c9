// The stores over one open database, built the same way by the app, the CLI and tests.
import type { PbxConfig } from '../config/schema.ts';
import type { Clock } from '../sip/util/clock.ts';
import type { Db } from './store/db.ts';
import { SqliteBindingStore } from './store/bindings.ts';
import { CdrStore } from './store/cdr.ts';
import { UserStore } from './store/users.ts';
import { UserAdmin } from './users/user-admin.ts';
import { realmOf } from './settings.ts';

export interface PbxStores {
  users: UserStore;
  bindings: SqliteBindingStore;
  cdrs: CdrStore;
  admin: UserAdmin;
}

export function createStores(db: Db, cfg: PbxConfig, clock: Clock): PbxStores {
  const users = new UserStore(db, { realm: realmOf(cfg), now: () => clock.now() });
  const bindings = new SqliteBindingStore(db);
  return { users, bindings, cdrs: new CdrStore(db), admin: new UserAdmin({ users, bindings, domain: cfg.pbx.domain }) };
}
