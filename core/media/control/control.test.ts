// The control protocol in process: a MediaServer behind a ControlServer on a temporary Unix
// socket, driven by the client library. Errors come back with SIP-style statuses.

import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mediaConfig } from '../config.ts';
import { MediaServer } from '../server.ts';
import { MediaClient } from './client.ts';
import { ControlServer } from './control-server.ts';

let dir: string;
let sock: string;
let media: MediaServer;
let control: ControlServer;
let client: MediaClient;

const offer = (port: number) =>
  ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 0 101`, 'a=rtpmap:101 telephone-event/8000', ''].join('\r\n');

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'media-ctl-'));
  sock = path.join(dir, 'ctl.sock');
  media = new MediaServer(mediaConfig({ portMin: 32200, portMax: 32299 }));
  control = new ControlServer(media, 4096, () => undefined);
  await control.listen(sock);
  client = await MediaClient.connect({ socketPath: sock, requestTimeoutMs: 2000 });
});

afterEach(async () => {
  client.close();
  await media.close();
  await control.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('control protocol', () => {
  it('destroys the legs of a connection that went away, after the grace period', async () => {
    client.close();
    await control.close();
    control = new ControlServer(media, 4096, () => undefined, 50);
    await control.listen(sock);
    client = await MediaClient.connect({ socketPath: sock, requestTimeoutMs: 2000 });
    const other = await MediaClient.connect({ socketPath: sock });
    await other.createLeg({ callId: 'orphan', codecs: ['PCMU'] });
    const kept = await client.createLeg({ callId: 'kept', codecs: ['PCMU'] });
    expect((await client.status()).legs).toBe(2);
    other.close();
    const deadline = Date.now() + 5000;
    while ((await client.status()).legs > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect((await client.status()).legs).toBe(1);
    expect((await client.legStats(kept.legId)).legId).toBe(kept.legId);
  });

  it('answers ping and status', async () => {
    expect((await client.ping()).pid).toBe(process.pid);
    expect(await client.status()).toMatchObject({ legs: 0, bridges: 0, conferences: 0, portsInUse: 0 });
  });

  it('maps failures to statuses: 400 bad params, 404 unknown ids, 409 wrong state, 488 bad SDP', async () => {
    await expect(client.request('leg.create', {} as never)).rejects.toMatchObject({ status: 400 });
    await expect(client.createLeg({ callId: 'x', codecs: ['AMR-WB'] })).rejects.toMatchObject({ status: 400 });
    await expect(client.legStats('nope')).rejects.toMatchObject({ status: 404 });
    await expect(client.createLeg({ callId: 'x', offer: 'v=0\r\nm=video 5 RTP/AVP 96\r\n' })).rejects.toMatchObject({ status: 488 });
    const leg = await client.createLeg({ callId: 'x', offer: offer(5000) });
    const leg2 = await client.createLeg({ callId: 'x', codecs: ['PCMA'] });
    await client.bridge(leg.legId, leg2.legId);
    await expect(client.bridge(leg.legId, leg2.legId)).rejects.toMatchObject({ status: 409 });
    await expect(client.joinConference({ confId: 'c', legId: leg.legId })).rejects.toMatchObject({ status: 409 });
    // A new offer while ours is unanswered is fine; an answer when none is expected is not.
    await expect(client.setRemote({ legId: leg.legId, sdp: offer(5002), type: 'answer' })).rejects.toMatchObject({ status: 409 });
    await expect(client.sendDtmf({ legId: leg.legId, digits: 'xyz' })).rejects.toMatchObject({ status: 400 });
    await expect(client.request('nonsense' as 'ping', {})).rejects.toMatchObject({ status: 400 });
    expect(await client.destroyCall('x')).toEqual({ legs: 2 });
    expect((await client.status()).bridges).toBe(0);
  });

  it('closes a connection that sends an over-long line, and ignores garbage lines', async () => {
    const raw = net.createConnection(sock);
    await new Promise((r) => raw.once('connect', r));
    raw.write('not json\n');
    const closed = new Promise((r) => raw.once('close', r));
    raw.write('x'.repeat(10_000));
    await closed;
    expect((await client.ping()).pid).toBe(process.pid);
  });

  it('fails pending requests and reports lost legs when the server goes away, then reconnects', async () => {
    const rc = await MediaClient.connect({ socketPath: sock, reconnect: { attempts: 50, delayMs: 20 } });
    const leg = await rc.createLeg({ callId: 'y', codecs: ['PCMU'] });
    const lost = rc.disconnected.next();
    await media.close();
    await control.close();
    const [d] = await lost;
    expect(d.lostLegs).toEqual([leg.legId]);
    await expect(rc.ping()).rejects.toMatchObject({ status: 503 });
    const back = rc.reconnected.next();
    media = new MediaServer(mediaConfig({ portMin: 32200, portMax: 32299 }));
    control = new ControlServer(media, 4096, () => undefined);
    await control.listen(sock);
    await back;
    expect((await rc.status()).legs).toBe(0);
    rc.close();
    client = await MediaClient.connect({ socketPath: sock });
  });
});
