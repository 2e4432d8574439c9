// OPTIONS answered by the PBX, phones behind NAT found at their source, and keep-alive OPTIONS
// that reach them there; plus the app letting go of the engine for good when closed.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../core/config/schema.ts';
import { startPbx } from '../../../core/pbx/main.ts';
import { silentLog } from '../../../core/pbx/sip/testing.ts';
import { freePort } from '../../support/ports.ts';
import { PASSWORDS, startPbxHarness, type PbxHarness } from './support/pbx-harness.ts';
import { UdpPhone } from './support/udp-phone.ts';

let h: PbxHarness | undefined;
const phones: UdpPhone[] = [];
afterEach(async () => {
  for (const p of phones.splice(0)) p.close();
  await h?.stop();
  h = undefined;
});

async function phone(user = '1001'): Promise<UdpPhone> {
  const p = await new UdpPhone(user, PASSWORDS[user]!, { port: h!.engine.sipPort }).bind();
  phones.push(p);
  return p;
}

describe('OPTIONS', () => {
  it('is answered 200 with Allow, Accept and Supported', async () => {
    h = await startPbxHarness();
    const p = await phone();
    const res = await p.send('OPTIONS', ['From: <sip:1001@pbx.test>;tag=o1', 'To: <sip:pbx.test>', 'Accept: application/sdp']);
    expect(res.status).toBe(200);
    expect(res.get('allow')?.split(/\s*,\s*/)).toEqual(expect.arrayContaining(['REGISTER', 'OPTIONS']));
    expect(res.get('accept')).toBe('application/sdp');
    expect(res.has('supported')).toBe(true);
  });
});

describe('phones behind NAT', () => {
  it('are found at their source address, and keep-alive OPTIONS reach them there', async () => {
    h = await startPbxHarness();
    const p = await phone();
    // The phone believes it is 10.0.0.5:5060; its packets come from 127.0.0.1:<port>.
    expect((await p.registerWithAuth({ contact: '<sip:1001@10.0.0.5:5060>', expires: 600 })).res.status).toBe(200);
    const [c] = await h.pbx.app.location.lookup('sip:1001@pbx.test');
    expect(c).toMatchObject({ uri: 'sip:1001@10.0.0.5:5060', behindNat: true, nextHop: `sip:127.0.0.1:${p.port};transport=udp` });

    await h.pbx.app.keepalive.tick();
    const opt = await p.waitForRequest((r) => r.method === 'OPTIONS');
    expect(opt.uri).toBe('sip:1001@10.0.0.5:5060');
    expect((await h.pbx.app.location.lookup('1001'))[0]!.reachable).toBe(true);

    p.answerOptions = false; // the phone went away without unregistering
    await h.pbx.app.keepalive.tick(); // the engine's Timer F (64·T1, fast timers here) ends it with 408
    expect((await h.pbx.app.location.lookup('1001'))[0]!.reachable).toBe(false);
    expect(h.logs.some((l) => /keepalive: sip:1001@pbx\.test contact sip:1001@10\.0\.0\.5:5060 unreachable \(408\)/.test(l))).toBe(true);
  });

  it('are pinged on the configured interval', async () => {
    h = await startPbxHarness({ keepalive: { intervalSec: 1, natOnly: true } });
    const nat = await phone('1001');
    const direct = await phone('1002');
    await nat.registerWithAuth({ contact: '<sip:1001@10.0.0.5:5060>' });
    await direct.registerWithAuth();
    await nat.waitForRequest((r) => r.method === 'OPTIONS', 3000);
    expect(direct.requests.filter((r) => r.method === 'OPTIONS')).toEqual([]); // natOnly
  });
});

describe('closing the app', () => {
  it('stops reconnecting to an engine it cannot reach', async () => {
    const port = await freePort('tcp');
    let attempts = 0;
    const server = createServer((s) => {
      attempts++;
      s.destroy(); // refuse: srf backs off and retries
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    const dataDir = mkdtempSync(join(tmpdir(), 'pbx-close-'));
    try {
      const cfg = configSchema.parse({
        dataDir,
        pbx: { demoUsers: false, drachtio: { host: '127.0.0.1', port, secret: 'x' }, http: { port: 0, adminToken: 'x'.repeat(20) }, reconnectMaxDelayMs: 100 },
      });
      const pbx = await startPbx(cfg, { log: silentLog });
      const deadline = Date.now() + 3000;
      while (attempts < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(attempts).toBeGreaterThanOrEqual(2);
      await pbx.close();
      const after = attempts;
      await new Promise((r) => setTimeout(r, 500)); // several retry periods
      expect(attempts).toBe(after);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
