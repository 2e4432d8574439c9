// srf.createUAC against sipp UAS peers: digest challenge, redirect, reliable provisional.
import { afterEach, describe, expect, it } from 'vitest';
import { connectSrf, disconnectSrf, startEngine, stopWhenIdle, waitIdle, SDP, type EngineHarness, type SrfApp } from '../../support/engine-harness.ts';
import { startSipp, parseSippMessages, type SippRun } from '../../sipp/sipp.ts';

describe('createUAC to sipp', () => {
  let h: EngineHarness | undefined;
  let srf: SrfApp;
  const peers: SippRun[] = [];
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.stop()));
    if (srf) disconnectSrf(srf);
    await stopWhenIdle(h);
  });

  async function call(uri: string, opts: Record<string, unknown>, answerIn2xx = true): Promise<void> {
    const dlg = await srf.createUAC(uri, { localSdp: SDP(9100), ...opts });
    // With 100rel the answer may come in the reliable 183 and the 200 carry no body (RFC 3262).
    if (answerIn2xx) expect(dlg.remote.sdp).toContain('m=audio');
    await new Promise((r) => setTimeout(r, 100));
    await dlg.destroy();
  }

  it('answers a 401 challenge with the auth option', async () => {
    h = await startEngine();
    srf = await connectSrf(h);
    const uas = await startSipp({ scenario: 'uas-401-challenge', keys: { auth_user: 'alice', auth_password: 's3cret' } });
    peers.push(uas);
    await call(`sip:bob@127.0.0.1:${uas.localPort}`, { auth: { username: 'alice', password: 's3cret' } });
    const r = await uas.done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    const invites = parseSippMessages(r.messages).filter((m) => m.direction === 'received' && m.text.startsWith('INVITE'));
    expect(invites).toHaveLength(2);
    expect(invites[1]!.text).toMatch(/Authorization: Digest/i);
    expect(await waitIdle(h)).toMatchObject({ transactions: 0, dialogs: 0, pendingOutgoing: 0 });
  });

  it('follows a 302 to the new target', async () => {
    h = await startEngine();
    srf = await connectSrf(h);
    const target = await startSipp({ scenario: 'uas-answer' });
    const redirector = await startSipp({ scenario: 'uas-302', keys: { redirect_to: `127.0.0.1:${target.localPort}` } });
    peers.push(target, redirector);
    await call(`sip:bob@127.0.0.1:${redirector.localPort}`, { followRedirects: true });
    for (const p of [redirector, target]) {
      const r = await p.done;
      expect(r.exitCode, r.errors || r.stdout).toBe(0);
    }
    expect(await waitIdle(h)).toMatchObject({ transactions: 0, dialogs: 0, pendingOutgoing: 0 });
  });

  it('PRACKs a reliable 183 and completes the call', async () => {
    h = await startEngine();
    srf = await connectSrf(h);
    const uas = await startSipp({ scenario: 'uas-183-100rel' });
    peers.push(uas);
    await call(`sip:bob@127.0.0.1:${uas.localPort}`, { headers: { Supported: '100rel' } }, false);
    const r = await uas.done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    const prack = parseSippMessages(r.messages).find((m) => m.direction === 'received' && m.text.startsWith('PRACK'));
    expect(prack?.text).toMatch(/RAck: 1 1 INVITE/i);
    const sent183 = parseSippMessages(r.messages).find((m) => m.direction === 'sent' && m.text.startsWith('SIP/2.0 183'));
    expect(sent183?.text).toContain('m=audio');
    expect(await waitIdle(h)).toMatchObject({ transactions: 0, dialogs: 0, pendingOutgoing: 0 });
  });
});
