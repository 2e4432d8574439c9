// The SQLite file itself (WAL, migrations, restart) and the user and CDR stores on it.
import { afterEach, describe, expect, it } from 'vitest';
import { ha1 } from '../auth/digest/algorithms.ts';
import { SqliteBindingStore } from './bindings.ts';
import { CdrStore, outcomeForStatus } from './cdr.ts';
import { openDatabase } from './db.ts';
import { ExternalChanges } from './external-changes.ts';
import { binding, tempDb, type TempDb } from './testing.ts';
import { UserExistsError, UserStore } from './users.ts';
import { WriteBatch } from './write-batch.ts';
import { silentLog } from '../sip/testing.ts';

let t: TempDb | undefined;
afterEach(() => {
  t?.cleanup();
  t = undefined;
});

describe('openDatabase', () => {
  it('creates the schema once, in WAL mode, and keeps data across a reopen', () => {
    t = tempDb();
    expect(t.created).toBe(true);
    expect(t.db.pragma('journal_mode', { simple: true })).toBe('wal');
    new SqliteBindingStore(t.db).apply('sip:1@x', { upsert: [binding({ aor: 'sip:1@x' })], remove: [] });
    const again = t.reopen();
    expect(again.created).toBe(false);
    expect(new SqliteBindingStore(again.db).list('sip:1@x', 0)).toHaveLength(1);
  });

  it('refuses a file from a newer program and migrates an older one forward', () => {
    t = tempDb();
    t.db.pragma('user_version = 99');
    t.db.close();
    expect(() => openDatabase(t!.path)).toThrow(/newer than this program/);
    const old = openDatabase(':memory:', ['CREATE TABLE a (x INTEGER)']);
    expect(old.created).toBe(true);
    old.db.close();
  });
});

describe('UserStore', () => {
  const setup = () => {
    t = tempDb();
    let now = 1000;
    return { users: new UserStore(t.db, { realm: 'pbx.test', now: () => now++ }), t };
  };

  it('keeps HA1 hashes, never the password, and serves them only for enabled users of this realm', () => {
    const { users, t } = setup();
    users.add({ extension: '1001', password: 'correct horse', displayName: 'Ann' });
    const row = t.db.prepare('SELECT * FROM users').get() as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain('correct horse');
    expect(users.ha1('1001', 'pbx.test', 'SHA-256')).toBe(ha1('SHA-256', '1001', 'pbx.test', 'correct horse'));
    expect(users.ha1('1001', 'pbx.test', 'MD5')).toBe(ha1('MD5', '1001', 'pbx.test', 'correct horse'));
    expect(users.ha1('1001', 'other.realm', 'MD5')).toBeUndefined();
    users.update('1001', { enabled: false });
    expect(users.ha1('1001', 'pbx.test', 'MD5')).toBeUndefined();
    expect(users.ha1('9999', 'pbx.test', 'MD5')).toBeUndefined();
  });

  it('adds, lists in extension order, updates, and removes', () => {
    const { users } = setup();
    users.add({ extension: '200', password: 'password-200' });
    users.add({ extension: '1001', password: 'password-1001', voicemailPin: '4321', mayRegisterOthers: true });
    expect(() => users.add({ extension: '200', password: 'again-again' })).toThrow(UserExistsError);
    expect(users.list().map((u) => u.extension)).toEqual(['200', '1001']);
    expect(users.get('1001')).toMatchObject({ hasVoicemailPin: true, mayRegisterOthers: true, enabled: true, realm: 'pbx.test' });
    const before = users.ha1('200', 'pbx.test', 'MD5');
    const u = users.update('200', { password: 'new-password', displayName: 'Desk' });
    expect(u).toMatchObject({ displayName: 'Desk' });
    expect(users.ha1('200', 'pbx.test', 'MD5')).not.toBe(before);
    expect(users.update('404', { displayName: 'x' })).toBeUndefined();
    expect(users.remove('200')).toBe(true);
    expect(users.remove('200')).toBe(false);
    expect(users.count()).toBe(1);
  });

  it('checks voicemail PINs against a salted hash', () => {
    const { users, t } = setup();
    users.add({ extension: '1001', password: 'password-1001', voicemailPin: '4321' });
    expect(String((t.db.prepare('SELECT voicemail_pin FROM users').get() as { voicemail_pin: string }).voicemail_pin)).toMatch(/^scrypt\$/);
    expect(users.verifyPin('1001', '4321')).toBe(true);
    expect(users.verifyPin('1001', '1234')).toBe(false);
    users.update('1001', { voicemailPin: null });
    expect(users.verifyPin('1001', '4321')).toBe(false);
    expect(users.verifyPin('404', '4321')).toBe(false);
  });
});

describe('CdrStore', () => {
  it('records a call from start to answer to end, once, and pages newest first', () => {
    t = tempDb();
    const cdrs = new CdrStore(t.db);
    const id = cdrs.start({ callId: 'a', caller: '1001', callee: '1002', startedAt: 1000 });
    expect(cdrs.get(id)).toMatchObject({ outcome: null, answeredAt: null, endedAt: null });
    expect(cdrs.answered(id, 2000)).toBe(true);
    expect(cdrs.answered(id, 2500)).toBe(false);
    expect(cdrs.finish(id, { endedAt: 9000, outcome: 'answered', sipCode: 200 })).toBe(true);
    expect(cdrs.finish(id, { endedAt: 9999, outcome: 'failed', sipCode: 500 })).toBe(false);
    expect(cdrs.get(id)).toMatchObject({ caller: '1001', callee: '1002', answeredAt: 2000, endedAt: 9000, outcome: 'answered', sipCode: 200 });
    const id2 = cdrs.start({ callId: 'b', caller: '1003', callee: '1001', startedAt: 3000 });
    cdrs.finish(id2, { endedAt: 4000, outcome: outcomeForStatus(486), sipCode: 486, reason: 'Busy Here' });
    cdrs.start({ callId: 'c', caller: '1003', callee: '1004', startedAt: 5000 });
    expect(cdrs.list().map((c) => c.callId)).toEqual(['c', 'b', 'a']);
    expect(cdrs.list({ party: '1001' }).map((c) => c.callId)).toEqual(['b', 'a']);
    expect(cdrs.list({ before: 5000, limit: 1 }).map((c) => c.callId)).toEqual(['b']);
    expect(cdrs.get(id2)?.outcome).toBe('busy');
  });

  it('maps final statuses to outcomes', () => {
    expect([200, 486, 600, 408, 480, 487, 403, 603, 404, 503].map(outcomeForStatus)).toEqual([
      'answered', 'busy', 'busy', 'no-answer', 'no-answer', 'canceled', 'rejected', 'rejected', 'failed', 'failed',
    ]);
  });
});

describe('UserStore with its cache (the app)', () => {
  it('sees its own writes at once and another connection’s (the CLI) from the next event-loop turn', async () => {
    t = tempDb();
    const users = new UserStore(t.db, { realm: 'pbx.test', now: () => 1000, cache: new ExternalChanges(t.db) });
    expect(users.get('1001')).toBeUndefined(); // a miss is remembered too …
    users.add({ extension: '1001', password: 'password-1001' }); // … and forgotten on our own write
    expect(users.get('1001')?.enabled).toBe(true);
    const cli = openDatabase(t.path).db;
    new UserStore(cli, { realm: 'pbx.test', now: () => 2000 }).update('1001', { enabled: false, password: 'changed-1001' });
    cli.close();
    await new Promise((r) => setImmediate(r));
    expect(users.get('1001')?.enabled).toBe(false);
    expect(users.ha1('1001', 'pbx.test', 'MD5')).toBeUndefined();
    users.update('1001', { enabled: true });
    expect(users.ha1('1001', 'pbx.test', 'MD5')).toBe(ha1('MD5', '1001', 'pbx.test', 'changed-1001'));
  });
});

describe('CdrStore written behind (the app)', () => {
  it('answers like the direct store, commits within lazyMs, and hands out ids after the ones on file', async () => {
    t = tempDb();
    new CdrStore(t.db).start({ callId: 'old', caller: '1', callee: '2', startedAt: 1 });
    const batch = new WriteBatch(t.db, silentLog, 5);
    const cdrs = new CdrStore(t.db, { batch });
    const id = cdrs.start({ callId: 'a', caller: '1001', callee: '1002', startedAt: 1000 });
    expect(id).toBe(2);
    expect(cdrs.answered(id, 2000)).toBe(true);
    expect(cdrs.answered(id, 2500)).toBe(false);
    expect(cdrs.finish(id, { endedAt: 9000, outcome: 'answered', sipCode: 200 })).toBe(true);
    expect(batch.pending).toBe(3);
    const peek = () => t!.db.prepare('SELECT count(*) AS n FROM cdrs WHERE ended_at IS NOT NULL').get();
    expect(peek()).toEqual({ n: 0 });
    await new Promise((r) => setImmediate(r));
    expect(peek()).toEqual({ n: 0 }); // nobody waits for a CDR: it does not force a commit per turn
    await new Promise((r) => setTimeout(r, 10)); // a later timer than the batch's 5 ms: fires after it
    expect(peek()).toEqual({ n: 1 });
    expect(cdrs.answered(id, 9999)).toBe(false);
    expect(cdrs.finish(id, { endedAt: 9999, outcome: 'failed', sipCode: 500 })).toBe(false);
    // Reads see what is queued: they commit it first.
    const open = cdrs.start({ callId: 'b', caller: '1003', callee: '1001', startedAt: 3000 });
    cdrs.setVars(open, { lang: 'en' });
    expect(cdrs.get(open)).toMatchObject({ callId: 'b', endedAt: null, vars: { lang: 'en' } });
    expect(cdrs.list().map((c) => c.callId)).toEqual(['b', 'a', 'old']);
    // A record this process did not open (an earlier run's) is closed through the file.
    expect(cdrs.finish(1, { endedAt: 5, outcome: 'failed', sipCode: 500 })).toBe(true);
    expect(cdrs.finish(1, { endedAt: 6, outcome: 'failed', sipCode: 500 })).toBe(false);
    expect(cdrs.get(id)).toMatchObject({ answeredAt: 2000, endedAt: 9000, outcome: 'answered', sipCode: 200 });
  });
});
