// The HTTP API through app.request() (no sockets), on a real SQLite file.
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.ts';
import { FakeClock } from '../../../test/support/fake-clock.ts';
import { LocationService } from '../location/location-service.ts';
import { silentLog } from '../sip/testing.ts';
import { createStores } from '../stores.ts';
import { binding, tempDb, type TempDb } from '../store/testing.ts';
import { createHttpApp } from './app.ts';

const TOKEN = 'test-token-0123456789abcdef';
let t: TempDb | undefined;
afterEach(() => {
  t?.cleanup();
  t = undefined;
});

function setup() {
  t = tempDb();
  const cfg = configSchema.parse({ pbx: { domain: 'pbx.test' } });
  const clock = new FakeClock();
  clock.advance(1_700_000_000_000);
  const stores = createStores(t.db, cfg, clock);
  const location = new LocationService({ store: stores.bindings, domain: 'pbx.test', clock });
  const app = createHttpApp({ admin: stores.admin, location, cdrs: stores.cdrs, adminToken: TOKEN, maxBodyBytes: 2048, log: silentLog });
  const call = (method: string, path: string, body?: unknown, token = TOKEN) =>
    app.request(path, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { app, call, stores, clock };
}

describe('HTTP API', () => {
  it('refuses /api without the right bearer token (401, JSON), but serves /health', async () => {
    const { app, call } = setup();
    const none = await app.request('/api/users');
    expect(none.status).toBe(401);
    expect(none.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    expect(await none.json()).toEqual({ error: { status: 401, message: 'missing or wrong admin token' } });
    expect((await call('GET', '/api/users', undefined, 'wrong')).status).toBe(401);
    expect((await app.request('/health')).status).toBe(200);
  });

  it('creates, reads, updates and deletes users, never returning secrets', async () => {
    const { call, stores } = setup();
    const created = await call('POST', '/api/users', { extension: '1001', password: 'a-good-password', displayName: 'Ann', voicemailPin: '4321' });
    expect(created.status).toBe(201);
    expect(created.headers.get('Location')).toBe('/api/users/1001');
    const body = (await created.json()) as { user: Record<string, unknown> };
    expect(body.user).toMatchObject({ extension: '1001', displayName: 'Ann', enabled: true, hasVoicemailPin: true });
    expect(JSON.stringify(body)).not.toMatch(/a-good-password|4321|ha1|scrypt/);
    expect(((await (await call('GET', '/api/users')).json()) as { users: unknown[] }).users).toHaveLength(1);
    expect((await call('GET', '/api/users/1001')).status).toBe(200);

    const patched = await call('PATCH', '/api/users/1001', { displayName: 'Ann B', password: 'another-password' });
    expect(((await patched.json()) as { user: { displayName: string } }).user.displayName).toBe('Ann B');
    expect(stores.users.ha1('1001', 'pbx.test', 'MD5')).toBeDefined();

    expect((await call('DELETE', '/api/users/1001')).status).toBe(204);
    expect((await call('GET', '/api/users/1001')).status).toBe(404);
    expect((await call('DELETE', '/api/users/1001')).status).toBe(404);
  });

  it('answers bad input with 400 and the field problems, a duplicate with 409', async () => {
    const { call } = setup();
    const bad = await call('POST', '/api/users', { extension: '1', password: 'short', displayName: 'a"b', extra: 1 });
    expect(bad.status).toBe(400);
    const err = (await bad.json()) as { error: { details: string[] } };
    expect(err.error.details.join('\n')).toMatch(/extension: must be 2 to 15 digits[\s\S]*password: must be at least 8/);
    expect((await call('POST', '/api/users', '{not json')).status).toBe(400);
    expect((await call('PATCH', '/api/users/abc', { displayName: 'x' })).status).toBe(400);
    expect((await call('POST', '/api/users', { extension: '1001', password: 'a-good-password' })).status).toBe(201);
    expect((await call('POST', '/api/users', { extension: '1001', password: 'a-good-password' })).status).toBe(409);
    expect((await call('PATCH', '/api/users/1001', {})).status).toBe(400);
    expect((await call('PATCH', '/api/users/1002', { displayName: 'x' })).status).toBe(404);
    expect((await call('POST', '/api/users', { extension: '1003', password: 'x'.repeat(3000) })).status).toBe(413);
    expect((await call('GET', '/api/nothing')).status).toBe(404);
  });

  it('drops the registrations of a user who is disabled or removed', async () => {
    const { call, stores, clock } = setup();
    await call('POST', '/api/users', { extension: '1001', password: 'a-good-password' });
    const aor = 'sip:1001@pbx.test';
    stores.bindings.apply(aor, { upsert: [binding({ aor, expiresAt: clock.now() + 60_000 })], remove: [] });
    const regs = (await (await call('GET', '/api/registrations')).json()) as { registrations: { aor: string; behindNat: boolean }[] };
    expect(regs.registrations).toEqual([expect.objectContaining({ aor, behindNat: false, contact: 'sip:1001@192.0.2.1:5060' })]);
    expect(((await (await call('GET', '/api/registrations?aor=1001')).json()) as { registrations: unknown[] }).registrations).toHaveLength(1);
    await call('PATCH', '/api/users/1001', { enabled: false });
    expect(stores.bindings.all(clock.now())).toEqual([]);
  });

  it('lists call records newest first, by party, and one by id', async () => {
    const { call, stores } = setup();
    const a = stores.cdrs.start({ callId: 'a', caller: '1001', callee: '1002', startedAt: Date.parse('2025-01-01T10:00:00Z') });
    stores.cdrs.finish(a, { endedAt: Date.parse('2025-01-01T10:01:00Z'), outcome: 'busy', sipCode: 486 });
    stores.cdrs.start({ callId: 'b', caller: '1003', callee: '1004', startedAt: Date.parse('2025-01-01T11:00:00Z') });
    const all = (await (await call('GET', '/api/cdrs')).json()) as { cdrs: { callId: string }[] };
    expect(all.cdrs.map((c) => c.callId)).toEqual(['b', 'a']);
    const mine = (await (await call('GET', '/api/cdrs?party=1001')).json()) as { cdrs: unknown[] };
    expect(mine.cdrs).toEqual([expect.objectContaining({ callId: 'a', outcome: 'busy', sipCode: 486, endedAt: '2025-01-01T10:01:00.000Z' })]);
    expect((await call('GET', '/api/cdrs?before=2025-01-01T10:30:00Z&limit=5')).status).toBe(200);
    expect((await call('GET', '/api/cdrs?limit=0')).status).toBe(400);
    expect((await call('GET', `/api/cdrs/${a}`)).status).toBe(200);
    expect((await call('GET', '/api/cdrs/999')).status).toBe(404);
  });
});
