// Opening the PBX database: one SQLite file in WAL mode (the app process and `pbx user …` may
// use it at the same time), migrated to the current schema.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations.ts';

export type Db = Database.Database;

export interface OpenedDb {
  db: Db;
  /** The file was new (schema created from scratch): the moment to seed demo data. */
  created: boolean;
}

export function openDatabase(path: string, migrations: readonly string[] = MIGRATIONS): OpenedDb {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only power loss may lose the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    const created = migrate(db, migrations) === 0;
    return { db, created };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Runs the migrations not yet applied; returns the version the file had before. */
function migrate(db: Db, migrations: readonly string[]): number {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > migrations.length) {
    throw new Error(`database schema version ${from} is newer than this program (${migrations.length}); upgrade the PBX`);
  }
  // IMMEDIATE: two processes opening a new file at once must not both migrate it.
  const run = db.transaction(() => {
    const now = db.pragma('user_version', { simple: true }) as number;
    for (let v = now; v < migrations.length; v++) db.exec(migrations[v]!);
    db.pragma(`user_version = ${migrations.length}`);
    return now;
  });
  return from < migrations.length ? run.immediate() : from;
}
