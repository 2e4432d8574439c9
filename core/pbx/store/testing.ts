// Test helpers: real SQLite files in a private temp dir (removed by cleanup()), binding fixtures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Binding } from './binding-store.ts';
import { openDatabase, type OpenedDb } from './db.ts';

export interface TempDb extends OpenedDb {
  dir: string;
  path: string;
  /** Close and open the same file again (a restart). */
  reopen(): OpenedDb;
  cleanup(): void;
}

export function tempDb(): TempDb {
  const dir = mkdtempSync(join(tmpdir(), 'pbx-db-'));
  const path = join(dir, 'pbx.sqlite');
  let opened = openDatabase(path);
  const t: TempDb = {
    ...opened,
    dir,
    path,
    reopen() {
      if (opened.db.open) opened.db.close();
      opened = openDatabase(path);
      t.db = opened.db;
      t.created = opened.created;
      return opened;
    },
    cleanup() {
      if (opened.db.open) opened.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}

export function binding(over: Partial<Binding> = {}): Binding {
  return {
    aor: 'sip:1001@pbx.test',
    key: 'sip:1001@192.0.2.1:5060',
    contact: 'sip:1001@192.0.2.1:5060',
    q: null,
    expiresAt: 10_000,
    callId: 'c1',
    cseq: 1,
    instance: null,
    regId: null,
    source: { address: '192.0.2.1', port: 5060, transport: 'udp' },
    userAgent: 'phone/1',
    registeredAt: 1000,
    updatedAt: 1000,
    ...over,
  };
}
