// req.proxy(): simultaneous and serial forking over sipp UAS peers, Record-Route, in-dialog relay.
import { afterEach, describe, expect, it } from 'vitest';
import { connectSrf, disconnectSrf, startEngine, stopWhenIdle, waitIdle, type EngineHarness, type SrfApp } from '../../support/engine-harness.ts';
import { startSipp, parseSippMessages, type SippRun } from '../../sipp/sipp.ts';
import { RawUdpPeer } from '../../support/raw-udp-peer.ts';

describe('stateful proxy with req.proxy', () => {
  let h: EngineHarness | undefined;
  let srf: SrfApp;
  const peers: SippRun[] = [];
  let silent: RawUdpPeer | undefined;
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.stop()));
    silent?.close();
    silent = undefined;
    if (srf) disconnectSrf(srf);
    await stopWhenIdle(h);
  });

  async function proxyTo(targets: () => string[], opts: Record<string, unknown>): Promise<SrfApp[]> {
    h = await startEngine();
    srf = await connectSrf(h);
    const results: SrfApp[] = [];
    srf.invite(async (req: SrfApp) => {
      results.push(await req.proxy({ destination: targets(), recordRoute: true, ...opts }));
    });
    return results;
  }

  const received = (r: { messages: string }, method: string) =>
    parseSippMessages(r.messages).filter((m) => m.direction === 'received' && m.text.startsWith(method + ' '));

  for (const forking of ['simultaneous', 'serial'] as const) {
    it(`${forking}: a 486 branch and a 200 branch connect the caller; BYE goes through the proxy`, async () => {
      const busy = await startSipp({ scenario: 'uas-486' });
      const answer = await startSipp({ scenario: 'uas-answer' });
      peers.push(busy, answer);
      const results = await proxyTo(() => [`sip:b@127.0.0.1:${busy.localPort}`, `sip:a@127.0.0.1:${answer.localPort}`], { forking });
      const caller = await (await startSipp({ scenario: 'uac-invite-bye', remote: h!.hostport, pauseMs: 200 })).done;
      expect(caller.exitCode, caller.errors || caller.stdout).toBe(0);
      const a = await answer.done;
      expect(a.exitCode, a.errors || a.stdout).toBe(0);
      const invite = received(a, 'INVITE')[0]!;
      expect(invite.text).toMatch(new RegExp(`Record-Route: <sip:127\\.0\\.0\\.1:${h!.sipPort};lr>`));
      // The BYE reached the callee through us: our Via sits on top of the caller's.
      const bye = received(a, 'BYE')[0]!;
      expect(bye.text.match(/^Via:/gim)?.length).toBe(2);
      expect(bye.text).toContain(`127.0.0.1:${h!.sipPort}`);
      expect(results[0]).toMatchObject({ connected: true, finalStatus: 200 });
      const b = await busy.done;
      expect(b.exitCode, b.errors || b.stdout).toBe(0);
      expect(await waitIdle(h!)).toMatchObject({ transactions: 0, dialogs: 0, proxies: 0, pendingIncoming: 0 });
    });
  }

  it('serial: a target that never answers is skipped after the provisional timeout', async () => {
    silent = new RawUdpPeer();
    await silent.bind();
    const answer = await startSipp({ scenario: 'uas-answer' });
    peers.push(answer);
    const results = await proxyTo(() => [`sip:s@127.0.0.1:${silent!.port}`, `sip:a@127.0.0.1:${answer.localPort}`], {
      forking: 'serial',
      provisionalTimeout: '500ms',
    });
    const caller = await (await startSipp({ scenario: 'uac-invite-bye', remote: h!.hostport, pauseMs: 100 })).done;
    expect(caller.exitCode, caller.errors || caller.stdout).toBe(0);
    expect(silent.count((m) => m.kind === 'request' && m.method === 'INVITE')).toBeGreaterThanOrEqual(1);
    expect(results[0]).toMatchObject({ connected: true, finalStatus: 200 });
    const a = await answer.done;
    expect(a.exitCode).toBe(0);
    expect(await waitIdle(h!)).toMatchObject({ transactions: 0, dialogs: 0, proxies: 0 });
  });

  it('simultaneous: the losing ringing branch is CANCELed when the other answers', async () => {
    const ringing = await startSipp({ scenario: 'uas-no-answer' });
    const answer = await startSipp({ scenario: 'uas-answer' });
    peers.push(ringing, answer);
    await proxyTo(() => [`sip:r@127.0.0.1:${ringing.localPort}`, `sip:a@127.0.0.1:${answer.localPort}`], { forking: 'simultaneous' });
    const caller = await (await startSipp({ scenario: 'uac-invite-bye', remote: h!.hostport, pauseMs: 100 })).done;
    expect(caller.exitCode, caller.errors || caller.stdout).toBe(0);
    const r = await ringing.done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    expect(received(r, 'CANCEL')[0]?.text).toContain('Call completed elsewhere');
    expect(await waitIdle(h!)).toMatchObject({ transactions: 0, dialogs: 0, proxies: 0 });
  });
});
