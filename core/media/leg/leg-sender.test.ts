import { describe, expect, it } from 'vitest';
import { findCodec } from '../codec-lookup.ts';
import { decodeRtpHeader, RtpHeader, encodeInto, encodedSize } from '../rtp/rtp-packet.ts';
import { noMedia, type NegotiatedMedia } from '../sdp/negotiated-media.ts';
import { FakeClock } from '../testing/fake-clock.ts';
import { LegDtmfOut } from './leg-dtmf-out.ts';
import { LegSender, type RtpSink } from './leg-sender.ts';
import { rfc4733 } from '../codecs/dtmf/index.ts';

class Sink implements RtpSink {
  packets: { h: RtpHeader; payload: Buffer }[] = [];
  sendRtp(buf: Uint8Array, offset: number, length: number): boolean {
    const h = new RtpHeader();
    decodeRtpHeader(buf, length, h, offset);
    const start = offset + h.headerLength;
    this.packets.push({ h, payload: Buffer.from(buf.subarray(start, start + h.payloadLength)) });
    return true;
  }
}

const PCMU = findCodec('PCMU')!;
const media = (over: Partial<NegotiatedMedia> = {}): NegotiatedMedia => ({
  ...noMedia,
  enabled: true,
  remote: { address: '127.0.0.1', port: 9 },
  send: { pt: 0, codec: PCMU },
  recv: [{ pt: 0, codec: PCMU }],
  sendEventPt: 101,
  recvEventPts: [101],
  localDirection: 'sendrecv',
  remoteDirection: 'sendrecv',
  flow: { send: true, recv: true },
  ...over,
});

function setup(m = media()) {
  const clock = new FakeClock();
  const sink = new Sink();
  const sender = new LegSender(sink, clock, 20);
  sender.configure(m);
  return { clock, sink, sender };
}

describe('LegSender', () => {
  it('ranks sources: a player silences the bridge, DTMF silences the player', () => {
    const { sink, sender } = setup();
    const pcm = new Int16Array(160);
    sender.sendPcm(pcm, 8000, 'bridge');
    sender.claim('player');
    sender.sendPcm(pcm, 8000, 'bridge');
    sender.sendPcm(pcm, 8000, 'player');
    sender.claim('dtmf');
    sender.sendPcm(pcm, 8000, 'player');
    expect(sink.packets).toHaveLength(2);
    sender.release('dtmf');
    sender.release('player');
    sender.sendPcm(pcm, 8000, 'mixer');
    expect(sink.packets).toHaveLength(3);
  });

  it('relays a foreign packet with our SSRC, continuing our numbering, stripping extensions', () => {
    const { clock, sink, sender } = setup();
    sender.sendPcm(new Int16Array(160), 8000, 'mixer');
    const payload = Buffer.alloc(160, 0x42);
    const ext = Buffer.from([0x90, 0x00, 0x12, 0x34, 0, 0, 0, 5, 0xaa, 0xbb, 0xcc, 0xdd, 0xbe, 0xde, 0, 1, 1, 2, 3, 4]);
    // The packet sits inside a larger receive area, as batched reads deliver it.
    const at = 2048;
    const area = Buffer.alloc(at + 4096, 0x77);
    Buffer.concat([ext, payload]).copy(area, at);
    const h = new RtpHeader();
    decodeRtpHeader(area, ext.length + payload.length, h, at);
    clock.advance(20);
    sender.relay(area, at, h, 0, 'bridge:x');
    const [first, second] = sink.packets;
    expect(second!.h.ssrc).toBe(first!.h.ssrc);
    expect(second!.h.sequenceNumber).toBe((first!.h.sequenceNumber + 1) & 0xffff);
    expect(second!.h.timestamp).toBe((first!.h.timestamp + 160) >>> 0);
    expect(second!.h.extension).toBe(false);
    expect(second!.payload.equals(payload)).toBe(true);
    // Nothing outside the packet was touched.
    expect(area.subarray(0, at).every((b) => b === 0x77)).toBe(true);
    expect(area.subarray(at + ext.length + payload.length).every((b) => b === 0x77)).toBe(true);
  });

  it('sends nothing while the remote holds us', () => {
    const { sink, sender } = setup(media({ flow: { send: false, recv: true } }));
    sender.sendPcm(new Int16Array(160), 8000, 'player');
    const buf = Buffer.alloc(encodedSize(160));
    encodeInto(buf, 0, { marker: false, payloadType: 0, sequenceNumber: 1, timestamp: 1, ssrc: 1 }, Buffer.alloc(160));
    const h = new RtpHeader();
    decodeRtpHeader(buf, buf.length, h);
    sender.relay(buf, 0, h, 0, 'b');
    expect(sink.packets).toHaveLength(0);
    expect(sender.dropped).toBe(1);
  });
});

describe('LegDtmfOut', () => {
  it('sends RFC 4733 events per §2.5.1: marker first, one timestamp, growing duration, End ×3', async () => {
    const { sink, sender } = setup();
    const out = new LegDtmfOut(sender, 20);
    const done = out.send('9', 100, 40);
    for (let i = 0; i < 10; i++) out.tick();
    await done;
    const ev = sink.packets.filter((p) => p.h.payloadType === 101);
    expect(ev).toHaveLength(4 + 3);
    expect(ev[0]!.h.marker).toBe(true);
    expect(new Set(ev.map((p) => p.h.timestamp)).size).toBe(1);
    const decoded = ev.map((p) => rfc4733.decode(p.payload)).map((r) => (r.ok ? r.value : undefined)!);
    expect(decoded.map((d) => d.duration)).toEqual([160, 320, 480, 640, 800, 800, 800]);
    expect(decoded.map((d) => d.end)).toEqual([false, false, false, false, true, true, true]);
    // Audio resumes after the digit, on a timestamp past the event.
    sender.sendPcm(new Int16Array(160), 8000, 'bridge');
    const last = sink.packets[sink.packets.length - 1]!;
    expect(last.h.payloadType).toBe(0);
    expect(last.h.timestamp - ev[0]!.h.timestamp).toBeGreaterThanOrEqual(800);
  });
});
