// The voicemail web pages and API over real HTTP (the PBX's own server, started by the PBX
// harness), without a browser: what they refuse, and how they serve audio.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseWav } from '../../../core/media/player/wav.ts';
import { wavBytes, writeWav } from '../../../voicemail/store/testing.ts';
import { WebClient } from '../../../voicemail/web/testing.ts';
import { startPbxHarness, type PbxHarness } from '../pbx/support/pbx-harness.ts';

const PINS: Record<string, string> = { '1001': '4321', '1002': '8765', '1003': '1357' };
const WEB = { idleSec: 900, blockSec: 300, maxFailuresPerSource: 5 }; // the configuration defaults

let h: PbxHarness;
let origin: string;

beforeAll(async () => {
  h = await startPbxHarness();
  origin = `http://127.0.0.1:${h.pbx.httpPort}`;
  for (const [ext, pin] of Object.entries(PINS)) h.pbx.app.admin.update(ext, { voicemailPin: pin });
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(() => {
  // Each test starts with empty mailboxes and without login blocks left by an earlier one.
  const store = h.pbx.voicemail;
  for (const mb of Object.keys(PINS)) for (const m of store.list(mb)) store.delete(m.id);
  h.clock.advance(WEB.blockSec * 1000);
});

function deposit(mailbox: string, o: { ms?: number; caller?: string; callerName?: string } = {}) {
  const store = h.pbx.voicemail;
  const ms = o.ms ?? 2000;
  const { id, path } = store.beginMessage({ mailbox, caller: o.caller ?? '1002', callerName: o.callerName, called: mailbox, cause: 486 });
  writeWav(path, ms);
  if (!store.finishMessage(id, ms)) throw new Error('message not stored');
  return { id, path, bytes: readFileSync(path) };
}

async function loggedIn(ext = '1001'): Promise<WebClient> {
  const c = new WebClient(origin);
  const res = await c.login(ext, PINS[ext]!);
  expect(res.status).toBe(200);
  return c;
}

describe('voicemail web: login', () => {
  it('logs in through the form and the API; a wrong PIN and an unknown extension get the same refusal', async () => {
    const form = new WebClient(origin);
    const ok = await form.loginForm('1001', '4321');
    expect(ok.status).toBe(303);
    expect(ok.headers.get('Location')).toBe('/voicemail');
    const cookie = ok.headers.getSetCookie().find((l) => l.startsWith('vm_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/voicemail/);
    expect(cookie).not.toMatch(/Secure/); // plain http, secureCookies off
    expect((await form.fetch('/voicemail')).status).toBe(200);

    const api = new WebClient(origin);
    const res = await api.login('1002', '8765');
    expect(await res.json()).toEqual({ mailbox: '1002', csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });

    const wrong = await new WebClient(origin).login('1001', '0000');
    const unknown = await new WebClient(origin).login('1999', '0000');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    const page = await new WebClient(origin).loginForm('1001', '9999');
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('wrong extension or PIN');
  });

  it('blocks an address after repeated failures (429 with Retry-After, even for the right PIN), logs each failure once, and lifts the block later', async () => {
    const before = h.logs.length;
    for (let i = 0; i < WEB.maxFailuresPerSource; i++) expect((await new WebClient(origin).login('1001', '1111')).status).toBe(401);
    const blocked = await new WebClient(origin).login('1001', '4321');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get('Retry-After'))).toBeLessThanOrEqual(WEB.blockSec);
    expect(((await blocked.json()) as { error: { message: string } }).error.message).toMatch(/too many failed logins/);
    const formBlocked = await new WebClient(origin).loginForm('1002', '8765'); // another mailbox, same address
    expect(formBlocked.status).toBe(429);
    expect(formBlocked.headers.get('Retry-After')).not.toBeNull();

    const lines = h.logs.slice(before);
    expect(lines.filter((l) => /failed login for mailbox 1001 from 127\.0\.0\.1/.test(l))).toHaveLength(WEB.maxFailuresPerSource);
    expect(lines.filter((l) => /blocking logins for address 127\.0\.0\.1/.test(l))).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('1111'); // the PIN tried never reaches the log

    h.clock.advance(WEB.blockSec * 1000);
    expect((await new WebClient(origin).login('1001', '4321')).status).toBe(200);
  });

  it('refuses a login without the pre-login CSRF token (403)', async () => {
    const c = new WebClient(origin);
    expect((await c.fetch('/voicemail/login', { method: 'POST', form: { extension: '1001', pin: '4321' } })).status).toBe(403);
    expect((await c.fetch('/voicemail/api/login', { method: 'POST', json: { extension: '1001', pin: '4321' } })).status).toBe(403);
    await c.fetch('/voicemail/api/login'); // gets the cookie, but a wrong echo is still refused
    const res = await c.fetch('/voicemail/api/login', { method: 'POST', json: { extension: '1001', pin: '4321' }, headers: { 'X-CSRF-Token': 'x' } });
    expect(res.status).toBe(403);
    expect(c.cookies.has('vm_session')).toBe(false);
  });
});

describe('voicemail web: sessions', () => {
  it('redirects pages to the login and answers 401 to the API without a session, with a made-up one, after the idle timeout, and after logout', async () => {
    const anon = new WebClient(origin);
    for (const path of ['/voicemail', '/voicemail/greetings', '/voicemail/pin', '/voicemail/messages/0123456789abcdef0123456789abcdef/audio']) {
      const r = await anon.fetch(path);
      expect(r.status, path).toBe(303);
      expect(r.headers.get('Location')).toBe('/voicemail/login');
    }
    for (const path of ['/voicemail/api/messages', '/voicemail/api/greetings', '/voicemail/api/session']) {
      const r = await anon.fetch(path);
      expect(r.status, path).toBe(401);
      expect(await r.json()).toEqual({ error: { status: 401, message: 'not logged in (or the session expired)' } });
    }
    anon.cookies.set('vm_session', 'made-up-session-id');
    expect((await anon.fetch('/voicemail/api/messages')).status).toBe(401);

    const c = await loggedIn();
    h.clock.advance((WEB.idleSec - 1) * 1000);
    expect((await c.fetch('/voicemail/api/messages')).status).toBe(200); // used: the idle time starts again
    h.clock.advance((WEB.idleSec - 1) * 1000);
    expect((await c.fetch('/voicemail/api/messages')).status).toBe(200);
    h.clock.advance(WEB.idleSec * 1000);
    expect((await c.fetch('/voicemail/api/messages')).status).toBe(401);
    expect((await c.fetch('/voicemail')).status).toBe(303);

    const d = await loggedIn();
    const out = await d.send('/voicemail/api/logout', { method: 'POST' });
    expect(out.status).toBe(204);
    expect(d.cookies.has('vm_session')).toBe(false);
    expect((await d.fetch('/voicemail/api/messages')).status).toBe(401);
    const e = new WebClient(origin);
    await e.loginForm('1001', '4321');
    const sessionId = e.cookies.get('vm_session')!;
    const pageOut = await e.fetch('/voicemail/logout', { method: 'POST', form: { _csrf: e.csrf! } });
    expect(pageOut.status).toBe(303);
    expect(pageOut.headers.get('Location')).toBe('/voicemail/login?done=logged-out');
    e.cookies.set('vm_session', sessionId); // the old cookie is worthless now
    expect((await e.fetch('/voicemail/api/messages')).status).toBe(401);
  });

  it('ends the sessions of a user who is disabled', async () => {
    const c = await loggedIn('1002');
    h.pbx.app.admin.update('1002', { enabled: false });
    try {
      expect((await c.fetch('/voicemail/api/messages')).status).toBe(401);
      expect((await new WebClient(origin).login('1002', '8765')).status).toBe(401);
    } finally {
      h.pbx.app.admin.update('1002', { enabled: true });
    }
  });
});

describe('voicemail web: CSRF', () => {
  it('refuses every state-changing form and API call without the right token (403) and changes nothing', async () => {
    const changed: string[] = [];
    const off = h.pbx.voicemail.changed.on((m) => changed.push(m));
    const m = deposit('1001');
    const c = new WebClient(origin);
    await c.loginForm('1001', '4321');
    const wav = wavBytes(1500);
    const attempts: [string, RequestInit & { form?: Record<string, string>; json?: unknown }][] = [
      [`/voicemail/messages/${m.id}/delete`, { method: 'POST', form: {} }],
      [`/voicemail/messages/${m.id}/heard`, { method: 'POST', form: { heard: '1', _csrf: 'wrong' } }],
      [`/voicemail/greetings/busy`, { method: 'POST', form: { _csrf: '' } }],
      [`/voicemail/greetings/busy/delete`, { method: 'POST', form: {} }],
      [`/voicemail/pin`, { method: 'POST', form: { current: '4321', pin: '2468', repeat: '2468' } }],
      [`/voicemail/logout`, { method: 'POST', form: {} }],
      [`/voicemail/api/messages/${m.id}`, { method: 'DELETE' }],
      [`/voicemail/api/messages/${m.id}/heard`, { method: 'POST', json: { heard: true } }],
      [`/voicemail/api/greetings/busy`, { method: 'PUT', body: wav, headers: { 'Content-Type': 'audio/wav' } }],
      [`/voicemail/api/greetings/busy`, { method: 'DELETE', headers: { 'X-CSRF-Token': 'wrong' } }],
      [`/voicemail/api/pin`, { method: 'POST', json: { currentPin: '4321', newPin: '2468' } }],
      [`/voicemail/api/logout`, { method: 'POST' }],
    ];
    for (const [path, init] of attempts) {
      const r = await c.fetch(path, init);
      expect(r.status, `${init.method} ${path}`).toBe(403);
      expect(await r.text()).toContain('CSRF');
    }
    expect(h.pbx.voicemail.get(m.id)).toMatchObject({ heard: false });
    expect(h.pbx.voicemail.greetingPath('1001', 'busy')).toBeUndefined();
    expect(h.pbx.app.users.verifyPin('1001', '4321')).toBe(true);
    expect((await c.fetch('/voicemail/api/messages')).status).toBe(200); // still logged in
    expect(changed).toEqual(['1001']); // the deposit only
    off();

    // The same calls with the token work.
    expect((await c.send(`/voicemail/api/messages/${m.id}/heard`, { method: 'POST', json: { heard: true } })).status).toBe(200);
    const del = await c.fetch(`/voicemail/messages/${m.id}/delete`, { method: 'POST', form: { _csrf: c.csrf! } });
    expect(del.status).toBe(303);
    expect(h.pbx.voicemail.get(m.id)).toBeUndefined();
  });
});

describe('voicemail web: whose messages', () => {
  it("answers another mailbox's message exactly like an unknown one (404), for every route", async () => {
    const theirs = deposit('1002');
    const c = await loggedIn('1001');
    const unknownId = '0123456789abcdef0123456789abcdef';
    for (const [method, path] of [
      ['GET', (id: string) => `/voicemail/api/messages/${id}`],
      ['GET', (id: string) => `/voicemail/api/messages/${id}/audio`],
      ['GET', (id: string) => `/voicemail/api/messages/${id}/download`],
      ['GET', (id: string) => `/voicemail/messages/${id}/audio`],
      ['GET', (id: string) => `/voicemail/messages/${id}/download`],
      ['POST', (id: string) => `/voicemail/api/messages/${id}/heard`],
      ['DELETE', (id: string) => `/voicemail/api/messages/${id}`],
    ] as const) {
      const init = method === 'POST' ? { method, json: { heard: true } } : { method };
      const a = await c.send(path(theirs.id), init);
      const b = await c.send(path(unknownId), init);
      expect(a.status, path(theirs.id)).toBe(404);
      expect(b.status).toBe(404);
      const withoutNonce = async (r: Response) => (await r.text()).replace(/nonce="[^"]*"/g, '');
      expect(await withoutNonce(a)).toBe(await withoutNonce(b));
    }
    for (const action of ['heard', 'delete']) {
      const r = await c.fetch(`/voicemail/messages/${theirs.id}/${action}`, { method: 'POST', form: { _csrf: c.csrf!, heard: '1' } });
      expect(r.status).toBe(404);
    }
    expect(h.pbx.voicemail.get(theirs.id)).toMatchObject({ heard: false });
    const list = (await (await c.fetch('/voicemail/api/messages')).json()) as { messages: unknown[] };
    expect(list.messages).toEqual([]);
  });

  it('never serves a file for path-traversal ids or greeting kinds, encoded or double-encoded', async () => {
    deposit('1001');
    const c = await loggedIn('1001');
    const evil = [
      '..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      '..%252F..%252F..%252F..%252F..%252Fetc%252Fpasswd',
      '%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '%252e%252e%252f%252e%252e%252fetc%252fpasswd',
      '..%5c..%5c..%5cetc%5cpasswd',
      '....%2F%2F....%2F%2Fetc%2Fpasswd',
      '%2Fetc%2Fpasswd',
      '..%2F1002%2Fgreeting-busy',
    ];
    const paths = evil.flatMap((e) => [
      `/voicemail/messages/${e}/audio`,
      `/voicemail/messages/${e}/download`,
      `/voicemail/api/messages/${e}`,
      `/voicemail/api/messages/${e}/audio`,
      `/voicemail/greetings/${e}/audio`,
      `/voicemail/api/greetings/${e}/audio`,
    ]);
    paths.push('/voicemail/messages/../../../../../../etc/passwd', '/voicemail/api/greetings/../../../../etc/passwd', '/voicemail/greetings/%00/audio');
    for (const p of paths) {
      const r = await c.raw(p);
      expect([400, 404], `${p} → ${r.status}`).toContain(r.status);
      expect(r.headers['content-type'] ?? '').not.toMatch(/audio/);
      expect(r.body.toString('latin1')).not.toMatch(/root:|RIFF/);
    }
  });
});

describe('voicemail web: audio', () => {
  it('serves byte ranges (partial, open-ended, suffix), 416 outside the file, HEAD, and downloads as an attachment', async () => {
    const m = deposit('1001', { ms: 3000 });
    const size = m.bytes.length;
    const c = await loggedIn('1001');
    const url = `/voicemail/messages/${m.id}/audio`;

    const full = await c.fetch(url);
    expect(full.status).toBe(200);
    expect(full.headers.get('Content-Type')).toBe('audio/wav');
    expect(full.headers.get('Accept-Ranges')).toBe('bytes');
    expect(full.headers.get('Content-Length')).toBe(String(size));
    expect(Buffer.from(await full.arrayBuffer()).equals(m.bytes)).toBe(true);

    const part = await c.fetch(url, { headers: { Range: 'bytes=10-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('Content-Range')).toBe(`bytes 10-99/${size}`);
    expect(part.headers.get('Content-Length')).toBe('90');
    expect(Buffer.from(await part.arrayBuffer()).equals(m.bytes.subarray(10, 100))).toBe(true);

    const open = await c.fetch(url, { headers: { Range: `bytes=${size - 100}-` } });
    expect(open.status).toBe(206);
    expect(open.headers.get('Content-Range')).toBe(`bytes ${size - 100}-${size - 1}/${size}`);
    expect(Buffer.from(await open.arrayBuffer()).equals(m.bytes.subarray(size - 100))).toBe(true);

    const suffix = await c.fetch(url, { headers: { Range: 'bytes=-44' } });
    expect(suffix.status).toBe(206);
    expect(suffix.headers.get('Content-Range')).toBe(`bytes ${size - 44}-${size - 1}/${size}`);
    expect(Buffer.from(await suffix.arrayBuffer()).equals(m.bytes.subarray(size - 44))).toBe(true);

    const past = await c.fetch(url, { headers: { Range: 'bytes=0-999999999' } });
    expect(past.status).toBe(206);
    expect(past.headers.get('Content-Range')).toBe(`bytes 0-${size - 1}/${size}`);
    await past.arrayBuffer();

    for (const range of [`bytes=${size}-`, `bytes=${size + 10}-${size + 20}`, 'bytes=-0']) {
      const r = await c.fetch(url, { headers: { Range: range } });
      expect(r.status, range).toBe(416);
      expect(r.headers.get('Content-Range')).toBe(`bytes */${size}`);
      await r.arrayBuffer();
    }
    // Not understood (another unit, several ranges, reversed): the whole file, as RFC 9110 allows.
    for (const range of ['items=0-1', 'bytes=0-1,5-9', 'bytes=9-1']) {
      const r = await c.fetch(url, { headers: { Range: range } });
      expect(r.status, range).toBe(200);
      expect((await r.arrayBuffer()).byteLength).toBe(size);
    }

    const head = await c.fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('Content-Length')).toBe(String(size));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    const headRange = await c.fetch(url, { method: 'HEAD', headers: { Range: 'bytes=0-9' } });
    expect(headRange.status).toBe(206);
    expect(headRange.headers.get('Content-Range')).toBe(`bytes 0-9/${size}`);

    const dl = await c.fetch(`/voicemail/api/messages/${m.id}/download`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get('Content-Disposition')).toMatch(/^attachment; filename="voicemail-1001-\d{4}-\d\d-\d\d-\d{4}-1002\.wav"$/);
    expect(Buffer.from(await dl.arrayBuffer()).equals(m.bytes)).toBe(true);

    // Serving audio is not playing it: only the player marks a message heard.
    expect(h.pbx.voicemail.get(m.id)?.heard).toBe(false);
  });
});

describe('voicemail web: greetings', () => {
  it('refuses a non-WAV upload with 400 and a clear message (page and API), saves a WAV, serves and deletes it', async () => {
    const c = new WebClient(origin);
    await c.loginForm('1001', '4321');
    const form = new FormData();
    form.set('_csrf', c.csrf!);
    form.set('greeting', new Blob([Buffer.from('ID3\x03\x00 this is an mp3, honest')], { type: 'audio/mpeg' }), 'greeting.mp3');
    const page = await c.fetch('/voicemail/greetings/unavailable', { method: 'POST', body: form });
    expect(page.status).toBe(400);
    expect(await page.text()).toMatch(/not a usable greeting: .*(RIFF|WAV)/i);

    const api = await c.send('/voicemail/api/greetings/busy', { method: 'PUT', body: Buffer.from('hello'), headers: { 'Content-Type': 'audio/wav' } });
    expect(api.status).toBe(400);
    const msg = ((await api.json()) as { error: { message: string } }).error.message;
    expect(msg).toMatch(/^not a usable greeting: /);
    const stereo = Buffer.from(wavBytes(1000));
    stereo.writeUInt16LE(2, 22); // channels
    const api2 = await c.send('/voicemail/api/greetings/busy', { method: 'PUT', body: stereo });
    expect(api2.status).toBe(400);
    expect(((await api2.json()) as { error: { message: string } }).error.message).toMatch(/mono|channel/i);
    expect((await c.send('/voicemail/api/greetings/bogus', { method: 'PUT', body: wavBytes(1000) })).status).toBe(404);
    expect(h.pbx.voicemail.greetingPath('1001', 'busy')).toBeUndefined();
    expect(h.pbx.voicemail.greetingPath('1001', 'unavailable')).toBeUndefined();

    const good = wavBytes(1500, { rate: 16000 });
    const okForm = new FormData();
    okForm.set('_csrf', c.csrf!);
    okForm.set('greeting', new Blob([good], { type: 'audio/wav' }), 'hello.wav');
    const saved = await c.fetch('/voicemail/greetings/unavailable', { method: 'POST', body: okForm });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('Location')).toBe('/voicemail/greetings?done=greeting-saved');
    expect(readFileSync(h.pbx.voicemail.greetingPath('1001', 'unavailable')!).equals(good)).toBe(true);
    expect((await c.send('/voicemail/api/greetings/name', { method: 'PUT', body: wavBytes(1200), headers: { 'Content-Type': 'audio/wav' } })).status).toBe(204);
    expect(await (await c.fetch('/voicemail/api/greetings')).json()).toEqual({
      greetings: [
        { kind: 'unavailable', present: true, audioUrl: '/voicemail/api/greetings/unavailable/audio' },
        { kind: 'busy', present: false, audioUrl: null },
        { kind: 'name', present: true, audioUrl: '/voicemail/api/greetings/name/audio' },
      ],
    });
    const audio = await c.fetch('/voicemail/greetings/unavailable/audio', { headers: { Range: 'bytes=0-3' } });
    expect(audio.status).toBe(206);
    expect(Buffer.from(await audio.arrayBuffer()).toString('ascii')).toBe('RIFF');
    // Another mailbox's greeting is not reachable: greetings are looked up by the session's mailbox only.
    const other = await loggedIn('1002');
    expect((await other.fetch('/voicemail/api/greetings/unavailable/audio')).status).toBe(404);

    expect((await c.send('/voicemail/api/greetings/name', { method: 'DELETE' })).status).toBe(204);
    const del = await c.fetch('/voicemail/greetings/unavailable/delete', { method: 'POST', form: { _csrf: c.csrf! } });
    expect(del.status).toBe(303);
    expect(h.pbx.voicemail.greetingPath('1001', 'unavailable')).toBeUndefined();
    expect(h.pbx.voicemail.greetingPath('1001', 'name')).toBeUndefined();
  });

  it('refuses an upload over the size limit with 413', async () => {
    const c = await loggedIn('1001');
    const limit = h.cfg.voicemail.maxGreetingSec * 48_000 * 2 + 64 * 1024;
    const r = await c.send('/voicemail/api/greetings/busy', { method: 'PUT', body: Buffer.alloc(limit + 16 * 1024 + 1) });
    expect(r.status).toBe(413);
    expect(h.pbx.voicemail.greetingPath('1001', 'busy')).toBeUndefined();
  });
});

describe('voicemail web: PIN', () => {
  it('changes the PIN (current PIN required, new one validated), ends the other sessions, and the new PIN logs in', async () => {
    const c = await loggedIn('1003');
    const other = await loggedIn('1003');
    const wrong = await c.send('/voicemail/api/pin', { method: 'POST', json: { currentPin: '0000', newPin: '2468' } });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ error: { status: 403, message: 'the current PIN is wrong' } });
    const bad = await c.send('/voicemail/api/pin', { method: 'POST', json: { currentPin: '1357', newPin: '12ab' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe('new PIN must be 4 to 12 digits');
    const form = new WebClient(origin);
    await form.loginForm('1003', '1357');
    const differ = await form.fetch('/voicemail/pin', { method: 'POST', form: { _csrf: form.csrf!, current: '1357', pin: '2468', repeat: '2469' } });
    expect(differ.status).toBe(400);
    expect(await differ.text()).toContain('the two new PINs differ');
    expect(h.pbx.app.users.verifyPin('1003', '1357')).toBe(true);

    const ok = await c.send('/voicemail/api/pin', { method: 'POST', json: { currentPin: '1357', newPin: '2468' } });
    expect(ok.status).toBe(204);
    expect(h.pbx.app.users.verifyPin('1003', '2468')).toBe(true);
    expect((await c.fetch('/voicemail/api/messages')).status).toBe(200);
    expect((await other.fetch('/voicemail/api/messages')).status).toBe(401);
    expect((await form.fetch('/voicemail/api/messages')).status).toBe(401);
    expect((await new WebClient(origin).login('1003', '1357')).status).toBe(401);
    expect((await new WebClient(origin).login('1003', '2468')).status).toBe(200);

    const page = new WebClient(origin);
    await page.loginForm('1003', '2468');
    const back = await page.fetch('/voicemail/pin', { method: 'POST', form: { _csrf: page.csrf!, current: '2468', pin: '1357', repeat: '1357' } });
    expect(back.status).toBe(200);
    expect(await back.text()).toContain('PIN changed.');
    expect(h.pbx.app.users.verifyPin('1003', '1357')).toBe(true);
  });
});

describe('voicemail web: pages and API', () => {
  it('lists messages with caller, time, duration and state, escaping what came from SIP headers', async () => {
    const changed: string[] = [];
    const off = h.pbx.voicemail.changed.on((m) => changed.push(m));
    const xss = deposit('1001', { callerName: '<script>alert("x")</script><img src=x onerror=alert(1)>', caller: '1002"><b>', ms: 65_000 });
    const plain = deposit('1001', { callerName: 'Bob & Co', ms: 4000 });
    const c = new WebClient(origin);
    await c.loginForm('1001', '4321');
    const res = await c.fetch('/voicemail');
    const page = await res.text();
    expect(res.headers.get('Content-Security-Policy')).toMatch(/script-src 'nonce-[^']+'/);
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('"><b>');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page).toContain('Bob &amp; Co');
    expect(page).toContain('2 new, 0 old');
    expect(page).toContain('1:05');
    expect(page).toContain('0:04');
    expect(page.indexOf(plain.id)).toBeLessThan(page.indexOf(xss.id)); // newest first
    expect([...page.matchAll(/<script nonce=/g)]).toHaveLength(1);

    const marked = await c.fetch(`/voicemail/messages/${plain.id}/heard`, { method: 'POST', form: { _csrf: c.csrf!, heard: '1' } });
    expect(marked.status).toBe(303);
    expect(await (await c.fetch(marked.headers.get('Location')!)).text()).toContain('1 new, 1 old');

    const api = await loggedIn('1001');
    const list = (await (await api.fetch('/voicemail/api/messages')).json()) as { counts: unknown; messages: { id: string; heard: boolean }[] };
    expect(list.counts).toEqual({ newCount: 1, oldCount: 1 });
    expect(list.messages.map((m) => [m.id, m.heard])).toEqual([[plain.id, true], [xss.id, false]]);
    expect(list.messages[1]).toMatchObject({ callerName: '<script>alert("x")</script><img src=x onerror=alert(1)>', durationMs: 65_000, cause: 486 });
    const unheard = await api.send(`/voicemail/api/messages/${plain.id}/heard`, { method: 'POST', json: { heard: false } });
    expect(await unheard.json()).toMatchObject({ message: { id: plain.id, heard: false }, counts: { newCount: 2, oldCount: 0 } });
    const del = await api.send(`/voicemail/api/messages/${xss.id}`, { method: 'DELETE' });
    expect(await del.json()).toEqual({ counts: { newCount: 1, oldCount: 0 } });
    expect(h.pbx.voicemail.audioPath(xss.id)).toBeUndefined();
    expect(changed).toEqual(['1001', '1001', '1001', '1001', '1001']); // 2 deposits, heard, unheard, delete
    off();

    const bad = await api.send(`/voicemail/api/messages/${plain.id}/heard`, { method: 'POST', body: 'heard', headers: { 'Content-Type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(((await api.fetch('/voicemail/api/nothing-here')).status)).toBe(404);
    expect((await api.fetch('/voicemail/')).headers.get('Location')).toBe('/voicemail');
  });

  it('plays a real WAV: what it serves parses as the message that was stored', async () => {
    const m = deposit('1001', { ms: 1500 });
    const c = await loggedIn('1001');
    const wav = parseWav(Buffer.from(await (await c.fetch(`/voicemail/api/messages/${m.id}/audio`)).arrayBuffer()));
    expect(wav.rate).toBe(8000);
    expect(wav.samples.length).toBe(12_000);
  });
});
