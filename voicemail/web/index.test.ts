// The web app through app.request() (no sockets) on a real SQLite file and voicemail folder:
// the cookie attributes, which depend on how the page was reached and on the configuration.
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../core/config/schema.ts';
import { systemClock } from '../../core/sip/util/clock.ts';
import { silentLog } from '../../core/pbx/sip/testing.ts';
import { createStores } from '../../core/pbx/stores.ts';
import { tempVoicemail, type TempVoicemail } from '../store/testing.ts';
import { createVoicemailWeb } from './index.ts';
import { webSettings } from './settings.ts';
import { hiddenCsrf } from './testing.ts';

let v: TempVoicemail | undefined;
afterEach(() => {
  v?.cleanup();
  v = undefined;
});

function setup(web: { secureCookies?: boolean } = {}) {
  v = tempVoicemail();
  const cfg = configSchema.parse({ pbx: { domain: 'pbx.test' }, voicemail: { web } });
  const stores = createStores(v.t.db, cfg, systemClock);
  stores.admin.add({ extension: '1001', password: 'secret-1001', voicemailPin: '4321' });
  const web_ = createVoicemailWeb({ store: v.store, users: stores.users, admin: stores.admin, settings: webSettings(cfg), clock: v.clock, log: silentLog });
  return web_.app;
}

/** GET the login form, then post it; returns the Set-Cookie lines of both answers. */
async function logIn(app: ReturnType<typeof setup>, origin: string): Promise<string[]> {
  const form = await app.request(`${origin}/voicemail/login`);
  const pre = form.headers.getSetCookie();
  const res = await app.request(`${origin}/voicemail/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: pre[0]!.split(';')[0]! },
    body: new URLSearchParams({ _csrf: hiddenCsrf(await form.text()), extension: '1001', pin: '4321' }).toString(),
  });
  expect(res.status).toBe(303);
  return [...pre, ...res.headers.getSetCookie()];
}

describe('voicemail web cookies', () => {
  it('are HttpOnly, SameSite=Strict, limited to /voicemail, and not Secure on plain http', async () => {
    const cookies = await logIn(setup(), 'http://pbx.test');
    expect(cookies.map((c) => c.split('=')[0])).toEqual(['vm_login_csrf', 'vm_session']);
    for (const c of cookies) {
      expect(c).toMatch(/; HttpOnly/);
      expect(c).toMatch(/; SameSite=Strict/);
      expect(c).toMatch(/; Path=\/voicemail/);
      expect(c).not.toMatch(/; Secure/);
    }
  });

  it('are Secure when the page is served over https', async () => {
    for (const c of await logIn(setup(), 'https://pbx.test')) expect(c).toMatch(/; Secure/);
  });

  it('are Secure on plain http when configured (TLS ends at a proxy in front)', async () => {
    for (const c of await logIn(setup({ secureCookies: true }), 'http://pbx.test')) expect(c).toMatch(/; Secure/);
  });
});
