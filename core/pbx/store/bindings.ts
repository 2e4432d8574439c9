// The SQLite BindingStore: bindings survive a restart of the PBX.
import type { Db } from './db.ts';
import type { Binding, BindingChanges, BindingStore } from './binding-store.ts';

interface Row {
  aor: string;
  contact_key: string;
  contact: string;
  q: number | null;
  expires_at: number;
  call_id: string;
  cseq: number;
  instance: string | null;
  reg_id: number | null;
  source_address: string;
  source_port: number;
  transport: string;
  user_agent: string | null;
  registered_at: number;
  updated_at: number;
}

export class SqliteBindingStore implements BindingStore {
  private readonly q;
  private readonly applyTx: (aor: string, changes: BindingChanges) => void;
  private readonly sweepTx: (now: number) => Binding[];

  constructor(db: Db) {
    this.q = {
      list: db.prepare<[string, number], Row>('SELECT * FROM bindings WHERE aor = ? AND expires_at > ? ORDER BY registered_at, contact_key'),
      all: db.prepare<[number], Row>('SELECT * FROM bindings WHERE expires_at > ? ORDER BY aor, registered_at, contact_key'),
      expired: db.prepare<[number], Row>('SELECT * FROM bindings WHERE expires_at <= ?'),
      deleteExpired: db.prepare<[number]>('DELETE FROM bindings WHERE expires_at <= ?'),
      upsert: db.prepare(
        `INSERT INTO bindings (aor, contact_key, contact, q, expires_at, call_id, cseq, instance, reg_id,
           source_address, source_port, transport, user_agent, registered_at, updated_at)
         VALUES (@aor, @contact_key, @contact, @q, @expires_at, @call_id, @cseq, @instance, @reg_id,
           @source_address, @source_port, @transport, @user_agent, @registered_at, @updated_at)
         ON CONFLICT (aor, contact_key) DO UPDATE SET contact = excluded.contact, q = excluded.q,
           expires_at = excluded.expires_at, call_id = excluded.call_id, cseq = excluded.cseq,
           instance = excluded.instance, reg_id = excluded.reg_id, source_address = excluded.source_address,
           source_port = excluded.source_port, transport = excluded.transport, user_agent = excluded.user_agent,
           registered_at = excluded.registered_at, updated_at = excluded.updated_at`,
      ),
      remove: db.prepare<[string, string]>('DELETE FROM bindings WHERE aor = ? AND contact_key = ?'),
      removeAor: db.prepare<[string]>('DELETE FROM bindings WHERE aor = ?'),
    };
    this.applyTx = db.transaction((aor: string, changes: BindingChanges) => {
      for (const key of changes.remove) this.q.remove.run(aor, key);
      for (const b of changes.upsert) this.q.upsert.run(toRow(b));
    });
    this.sweepTx = db.transaction((now: number) => {
      const gone = this.q.expired.all(now).map(toBinding);
      this.q.deleteExpired.run(now);
      return gone;
    });
  }

  list(aor: string, now: number): Binding[] {
    return this.q.list.all(aor, now).map(toBinding);
  }

  apply(aor: string, changes: BindingChanges): Promise<void> {
    checkAor(aor, changes);
    try {
      this.applyTx(aor, changes);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  /** apply() without the promise: throws when the transaction fails (inside a WriteBatch). */
  applyNow(aor: string, changes: BindingChanges): void {
    checkAor(aor, changes);
    this.applyTx(aor, changes);
  }

  removeAor(aor: string): number {
    return this.q.removeAor.run(aor).changes;
  }

  all(now: number): Binding[] {
    return this.q.all.all(now).map(toBinding);
  }

  sweep(now: number): Binding[] {
    return this.sweepTx(now);
  }
}

export function checkAor(aor: string, changes: BindingChanges): void {
  for (const b of changes.upsert) if (b.aor !== aor) throw new Error(`binding for ${b.aor} in a change set for ${aor}`);
}

function toRow(b: Binding): Row {
  return {
    aor: b.aor,
    contact_key: b.key,
    contact: b.contact,
    q: b.q,
    expires_at: b.expiresAt,
    call_id: b.callId,
    cseq: b.cseq,
    instance: b.instance,
    reg_id: b.regId,
    source_address: b.source.address,
    source_port: b.source.port,
    transport: b.source.transport,
    user_agent: b.userAgent,
    registered_at: b.registeredAt,
    updated_at: b.updatedAt,
  };
}

function toBinding(r: Row): Binding {
  return {
    aor: r.aor,
    key: r.contact_key,
    contact: r.contact,
    q: r.q,
    expiresAt: r.expires_at,
    callId: r.call_id,
    cseq: r.cseq,
    instance: r.instance,
    regId: r.reg_id,
    source: { address: r.source_address, port: r.source_port, transport: r.transport },
    userAgent: r.user_agent,
    registeredAt: r.registered_at,
    updatedAt: r.updated_at,
  };
}
