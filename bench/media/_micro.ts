import { findCodec } from '../../core/media/codec-lookup.ts';
import { LegReceiver } from '../../core/media/leg/leg-receiver.ts';
import { LegSender } from '../../core/media/leg/leg-sender.ts';
import { noMedia, type NegotiatedMedia } from '../../core/media/sdp/negotiated-media.ts';
import { realClock } from '../../core/media/util/clock.ts';
const PCMU = findCodec('PCMU')!;
const media: NegotiatedMedia = { ...noMedia, enabled: true, remote: { address: '127.0.0.1', port: 9 }, send: { pt: 0, codec: PCMU }, recv: [{ pt: 0, codec: PCMU }], sendEventPt: 101, recvEventPts: [101], localDirection: 'sendrecv', remoteDirection: 'sendrecv', flow: { send: true, recv: true } };
let sent = 0;
const sender = new LegSender({ sendRtp: () => (sent++, true) }, realClock, 20);
sender.configure(media);
const rx = new LegReceiver({ ptimeMs: 20, jitterMinMs: 40, jitterMaxMs: 200 }, { onDigit: () => undefined });
rx.configure(media);
rx.relay = (buf, off, h, codec) => { sender.relay(buf, off, h, 0, 'k'); return true; };
const area = new Uint8Array(2048 * 512);
for (let i = 0; i < 512; i++) { area[i * 2048] = 0x80; area[i*2048+1] = 0; }
const N = 2_000_000;
for (let round = 0; round < 3; round++) {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const off = (i & 511) * 2048;
    area[off + 2] = (i >> 8) & 0xff; area[off + 3] = i & 0xff; area[off] = 0x80;
    rx.onRtp(area, off, 172, performance.now());
  }
  console.log(`${(((performance.now() - t0) * 1e6) / N).toFixed(0)} ns/pkt`, sent);
}
