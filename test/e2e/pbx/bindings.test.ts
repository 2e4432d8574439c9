// Binding life cycle through the real engine: several contacts per AOR with q-values,
// fetching, refresh, expiry, `Contact: *`, third-party registration, and a PBX restart.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSippMessages, sipHeader, startSipp } from '../../sipp/sipp.ts';
import { databasePath } from '../../../core/pbx/settings.ts';
import { PASSWORDS, startPbxHarness, type PbxHarness } from './support/pbx-harness.ts';
import { challengesOf, contactsOf, UdpPhone } from './support/udp-phone.ts';

let h: PbxHarness | undefined;
const phones: UdpPhone[] = [];
afterEach(async () => {
  for (const p of phones.splice(0)) p.close();
  await h?.stop();
  h = undefined;
});

async function phone(user = '1001', password = PASSWORDS[user]!): Promise<UdpPhone> {
  const p = await new UdpPhone(user, password, { port: h!.engine.sipPort }).bind();
  phones.push(p);
  return p;
}

describe('bindings', () => {
  it('holds several contacts per AOR with q-values, lists them on fetch, and refreshes in place', async () => {
    h = await startPbxHarness();
    const desk = await phone();
    const soft = await phone();
    const a = await desk.registerWithAuth({ contact: `<sip:1001@127.0.0.1:${desk.port}>;q=0.9`, expires: 600 });
    expect(a.res.status).toBe(200);
    const b = await soft.registerWithAuth({ contact: `<sip:1001@127.0.0.1:${soft.port}>;q=0.4`, expires: 1200 });
    expect(contactsOf(b.res)).toEqual([
      `<sip:1001@127.0.0.1:${desk.port}>;expires=600;q=0.9`,
      `<sip:1001@127.0.0.1:${soft.port}>;expires=1200;q=0.4`,
    ]);
    expect((await h.pbx.app.location.lookup('1001')).map((c) => c.q)).toEqual([0.9, 0.4]);

    h.clock.advance(100_000);
    const fetched = await desk.register({ contact: null, auth: a.challenge, nc: 2 });
    expect(fetched.status).toBe(200);
    expect(contactsOf(fetched)).toEqual([
      `<sip:1001@127.0.0.1:${desk.port}>;expires=500;q=0.9`,
      `<sip:1001@127.0.0.1:${soft.port}>;expires=1100;q=0.4`,
    ]);
    const refreshed = await desk.register({ contact: `<sip:1001@127.0.0.1:${desk.port}>;q=0.9`, expires: 600, auth: a.challenge, nc: 3 });
    expect(contactsOf(refreshed)[0]).toBe(`<sip:1001@127.0.0.1:${desk.port}>;expires=600;q=0.9`);
    expect(await h.pbx.app.location.lookup('1001')).toHaveLength(2);
  });

  it('answers 423 with Min-Expires to a too-short expiry, and cuts a long one to the maximum', async () => {
    h = await startPbxHarness({ registrar: { minExpires: 120, maxExpires: 900, defaultExpires: 600 } });
    const p = await phone();
    const brief = await p.registerWithAuth({ expires: 30 });
    expect(brief.res.status).toBe(423);
    expect(brief.res.get('min-expires')).toBe('120');
    const long = await p.register({ expires: 86_400, auth: brief.challenge, nc: 2 });
    expect(contactsOf(long)).toEqual([`<sip:1001@127.0.0.1:${p.port}>;expires=900`]);
  });

  it('lets bindings expire: gone from lookups at once, from the database at the next sweep', async () => {
    h = await startPbxHarness();
    const p = await phone();
    expect((await p.registerWithAuth({ expires: 60 })).res.status).toBe(200);
    h.clock.advance(60_000);
    expect(await h.pbx.app.location.lookup('1001')).toEqual([]);
    expect(((await (await h.api('/api/registrations')).json()) as { registrations: unknown[] }).registrations).toEqual([]);
    expect(h.pbx.app.registrar.sweep()).toBe(1);
    const db = new Database(databasePath(h.cfg), { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM bindings').get()).toEqual({ n: 0 });
    db.close();
  });

  it('removes every binding of the AOR with Contact: * and Expires: 0', async () => {
    h = await startPbxHarness();
    const desk = await phone();
    const soft = await phone();
    await soft.registerWithAuth();
    const { challenge } = await desk.registerWithAuth();
    expect(await h.pbx.app.location.lookup('1001')).toHaveLength(2);
    const removed = await desk.register({ contact: '*', expires: 0, auth: challenge, nc: 2 });
    expect(removed.status).toBe(200);
    expect(contactsOf(removed)).toEqual([]);
    expect(await h.pbx.app.location.lookup('1001')).toEqual([]);
    // `*` with a non-zero Expires is refused before anything is looked at.
    expect((await desk.register({ contact: '*', expires: 60, auth: 'none' })).status).toBe(400);
  });

  it('allows third-party registration only to users permitted to', async () => {
    h = await startPbxHarness();
    h.pbx.app.admin.update('1003', { mayRegisterOthers: true });
    const p = await phone('1002');
    const denied = await p.registerWithAuth({ toUser: '1001', contact: `<sip:1001@127.0.0.1:${p.port}>` });
    expect(denied.res.status).toBe(403);
    const admin = await phone('1003');
    const ok = await admin.registerWithAuth({ toUser: '1001', contact: `<sip:1001@127.0.0.1:${admin.port}>` });
    expect(ok.res.status).toBe(200);
    expect((await h.pbx.app.location.lookup('1001')).map((c) => c.uri)).toEqual([`sip:1001@127.0.0.1:${admin.port}`]);
  });

  it('survive a restart of the PBX, and the old nonce is then stale', async () => {
    h = await startPbxHarness();
    const sipp = await startSipp({
      scenario: 'uac-register', remote: h.engine.hostport, service: '1002', authUser: '1002', authPassword: 'secret-1002', keys: { expires: '900' },
    });
    const r = await sipp.done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    expect(sipHeader(parseSippMessages(r.messages).find((m) => m.status === 200)!.text, 'Contact')).toHaveLength(1);
    const p = await phone();
    const { challenge } = await p.registerWithAuth({ contact: `<sip:1001@10.0.0.5:5060>`, expires: 900 });
    const before = await h.pbx.app.location.all();

    await h.restart();
    expect(h.engine.engine.stats().apps).toBe(1); // the old app let go of its engine connection
    const after = await h.pbx.app.location.all();
    expect(after.map((c) => [c.aor, c.uri, c.source, c.behindNat])).toEqual(before.map((c) => [c.aor, c.uri, c.source, c.behindNat]));
    expect(after).toHaveLength(2);
    const stale = await p.register({ contact: `<sip:1001@10.0.0.5:5060>`, expires: 900, auth: challenge, nc: 2 });
    expect(stale.status).toBe(401);
    expect(challengesOf(stale)[0]!.stale).toBe(true);
    const again = await p.register({ contact: `<sip:1001@10.0.0.5:5060>`, expires: 900, auth: challengesOf(stale)[0]! });
    expect(again.status, `${again.reason} ${h.logs.filter((l) => l.startsWith("error")).join("\n")}`).toBe(200);
  });
});
