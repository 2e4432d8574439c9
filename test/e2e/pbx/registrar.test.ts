// Registration with digest auth through the real engine: sipp (MD5) and a raw UDP phone
// (SHA-256, stale nonces), wrong passwords and the brute-force throttle.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseSippMessages, sipHeader, startSipp } from '../../sipp/sipp.ts';
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

describe.each(['u1', 't1'] as const)('sipp registers over %s', (transport) => {
  it('with an MD5 digest; the binding is listed by the API and found by the location service', async () => {
    h = await startPbxHarness({ auth: { algorithms: ['MD5', 'SHA-256'] } });
    const sipp = await startSipp({
      scenario: 'uac-register', remote: h.engine.hostport, transport, service: '1001', authUser: '1001', authPassword: 'secret-1001',
      keys: { expires: '600' },
    });
    const r = await sipp.done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    const msgs = parseSippMessages(r.messages);
    const challenge = msgs.find((m) => m.status === 401)!;
    expect(sipHeader(challenge.text, 'WWW-Authenticate').map((v) => /algorithm=([\w-]+)/.exec(v)?.[1])).toEqual(['MD5', 'SHA-256']);
    const ok = msgs.find((m) => m.status === 200)!;
    expect(sipHeader(ok.text, 'Contact')[0]).toMatch(new RegExp(`^<sip:1001@127\\.0\\.0\\.1:${sipp.localPort};transport=${transport === 'u1' ? 'UDP' : 'TCP'}>;expires=(600|599)$`));

    const [c] = await h.pbx.app.location.lookup('sip:1001@pbx.test');
    expect(c).toMatchObject({ aor: 'sip:1001@pbx.test', behindNat: false, source: { address: '127.0.0.1', transport: transport === 'u1' ? 'udp' : 'tcp' } });
    const api = (await (await h.api('/api/registrations')).json()) as { registrations: { aor: string; contact: string }[] };
    expect(api.registrations).toEqual([expect.objectContaining({ aor: 'sip:1001@pbx.test', contact: c!.uri })]);
  });
});

describe('digest against a raw UDP phone', () => {
  it('registers with SHA-256 (RFC 8760) and with MD5, each answering its own challenge', async () => {
    h = await startPbxHarness({ auth: { algorithms: ['MD5', 'SHA-256'] } });
    const a = await phone('1001');
    const sha = await a.registerWithAuth({ algorithm: 'SHA-256', expires: 300 });
    expect(sha.res.status).toBe(200);
    expect(contactsOf(sha.res)).toEqual([`<sip:1001@127.0.0.1:${a.port}>;expires=300`]);
    const b = await phone('1002');
    expect((await b.registerWithAuth({ algorithm: 'MD5' })).res.status).toBe(200);
    expect(h.logs.filter((l) => /auth: failed/.test(l))).toEqual([]);
  });

  it('offers only SHA-256 when configured so, and then refuses an MD5 answer', async () => {
    h = await startPbxHarness({ auth: { algorithms: ['SHA-256'] } });
    const p = await phone();
    const first = await p.register({ auth: 'none' });
    expect(challengesOf(first).map((c) => c.algorithm)).toEqual(['SHA-256']);
    const md5 = await p.register({ auth: { ...challengesOf(first)[0]!, algorithm: 'MD5' } });
    expect(md5.status).toBe(401);
    expect((await p.register({ auth: challengesOf(md5)[0]! })).status).toBe(200);
  });

  it('answers the right password with an expired nonce 401 stale=true, and then accepts the new nonce', async () => {
    h = await startPbxHarness({ auth: { nonceTtlSec: 30 } });
    const p = await phone();
    const first = await p.registerWithAuth();
    expect(first.res.status).toBe(200);
    h.clock.advance(31_000);
    const stale = await p.register({ auth: first.challenge, nc: 2 });
    expect(stale.status).toBe(401);
    expect(challengesOf(stale).every((c) => c.stale)).toBe(true);
    expect((await p.register({ auth: challengesOf(stale)[0]! })).status).toBe(200);
  });

  it('reuses a nonce with increasing nc, and calls a replayed nc stale', async () => {
    h = await startPbxHarness();
    const p = await phone();
    const { challenge } = await p.registerWithAuth();
    expect((await p.register({ auth: challenge, nc: 2 })).status).toBe(200);
    const replay = await p.register({ auth: challenge, nc: 2 });
    expect(replay.status).toBe(401);
    expect(challengesOf(replay)[0]!.stale).toBe(true);
  });
});

describe('wrong passwords', () => {
  it('get 401 again (not stale) from sipp, and the source is blocked with 403 after maxFailures', async () => {
    h = await startPbxHarness({ auth: { throttle: { maxFailures: 3, windowSec: 60, blockSec: 300 } } });
    const wrong = await startSipp({
      scenario: 'uac-register-wrong-password', remote: h.engine.hostport, service: '1001', authUser: '1001', authPassword: 'not-the-password',
      calls: 3, maxConcurrent: 1,
    });
    const r = await wrong.done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    expect(r.successful).toBe(3);
    const blocked = await (await startSipp({ scenario: 'uac-register-expect-403', remote: h.engine.hostport, service: '1001' })).done;
    expect(blocked.exitCode, blocked.errors || blocked.stdout).toBe(0);
    // Even the right password is refused from a blocked source until the block ends.
    const p = await phone();
    expect((await p.register({ auth: 'none' })).status).toBe(403);
    expect(h.logs.filter((l) => l.includes('blocking 127.0.0.1 for 300 s'))).toHaveLength(1);
    expect(h.logs.filter((l) => /auth: failed REGISTER user "1001" from 127\.0\.0\.1/.test(l))).toHaveLength(3);
    h.clock.advance(300_000);
    expect((await p.registerWithAuth()).res.status).toBe(200);
  });

  it('never blocks a phone that answers its normal 401 challenge, however often it registers', async () => {
    h = await startPbxHarness({ auth: { throttle: { maxFailures: 2, windowSec: 60, blockSec: 300 } } });
    const p = await phone();
    for (let i = 0; i < 8; i++) expect((await p.registerWithAuth({ expires: 120 })).res.status).toBe(200);
    expect(h.pbx.app.throttle.tracked).toBe(0);
  });
});

describe('a REGISTER without a good credential', () => {
  it('never reaches the registrar: the binding store is untouched', async () => {
    h = await startPbxHarness({ auth: { throttle: { maxFailures: 0, windowSec: 60, blockSec: 300 } } });
    const apply = vi.spyOn(h.pbx.app.bindings, 'apply');
    const changed = vi.fn();
    h.pbx.app.registrar.changed.on(changed);
    const p = await phone();
    const first = await p.register({ auth: 'none' });
    expect(first.status).toBe(401);
    const ch = challengesOf(first)[0]!;
    expect((await p.register({ auth: ch, password: 'wrong-password' })).status).toBe(401);
    expect((await p.register({ auth: ch, username: '9999' })).status).toBe(401);
    expect((await p.register({ auth: { ...ch, nonce: 'forged-nonce' }, password: 'wrong-password' })).status).toBe(401);
    expect((await p.register({ authorization: `Digest username="1001", realm="pbx.test", nonce="${ch.nonce}", uri="sip:pbx.test"` })).status).toBe(400);
    expect((await p.register({ auth: ch, username: '1002', password: 'secret-1002', toUser: '1001', nc: 5 })).status).toBe(403);
    expect((await p.register({ contact: '*', expires: 0, auth: 'none' })).status).toBe(401);
    const ext = await p.register({ auth: 'none', extraHeaders: ['Require: outbound'] });
    expect([ext.status, ext.get('unsupported')]).toEqual([420, 'outbound']);
    expect(apply).not.toHaveBeenCalled();
    expect(changed).not.toHaveBeenCalled();
    expect((h.pbx.app.bindings.all(0) as unknown[]).length).toBe(0);
  });
});
