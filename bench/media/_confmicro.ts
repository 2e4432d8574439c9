import dgram from 'node:dgram';
import { MediaServer } from '../../core/media/server.ts';
import { mediaConfig } from '../../core/media/config.ts';
import { sdpFor } from './load.ts';
import { ulawTone, PCMU_SILENCE } from './gen.ts';
const parts = Number(process.argv[2] ?? 600);
const sendThread = process.argv[3] !== 'off';
const sink = dgram.createSocket('udp4');
await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
const server = new MediaServer(mediaConfig({ portMin: 40000, portMax: 49999, rtpTimeoutMs: 0, udpSendThread: sendThread }));
const legs: any[] = [];
for (let i = 0; i < parts; i++) {
  const r = await server.request('leg.create', { callId: `p${i}`, offer: sdpFor(sink.address().port) });
  await server.request('conference.join', { confId: `room${i % 10}`, legId: r.legId, tones: false });
  legs.push((server as any).ctx.registry.legs.get(r.legId));
}
const tone = ulawTone();
const pkt = Buffer.alloc(2048 * 8);
let seq = 0;
const clock = server.mediaClock;
const t0 = performance.now(); const c0 = process.cpuUsage();
const N = 300;
let tw = 0;
for (let t = 0; t < N; t++) {
  seq++;
  for (let i = 0; i < parts; i++) {
    const off = (i & 7) * 2048;
    pkt[off] = 0x80; pkt[off + 1] = 0; pkt.writeUInt16BE(seq & 0xffff, off + 2); pkt.writeUInt32BE((seq * 160) >>> 0, off + 4); pkt.writeUInt32BE(1000 + i, off + 8);
    (Math.floor(i / 10) < 2 ? tone : Buffer.alloc(160, PCMU_SILENCE)).copy(pkt, off + 12);
    legs[i].receiver.onRtp(pkt, off, 172, t * 20);
  }
  const a = performance.now();
  clock.tickOnce();
  tw += performance.now() - a;
}
const c = process.cpuUsage(c0);
console.log(`${parts} parts sendThread=${sendThread}: ${((c.user + c.system) / 1000 / N).toFixed(2)} ms cpu/tick (rx+tick), tick wall ${(tw / N).toFixed(2)} ms, total wall ${((performance.now() - t0) / N).toFixed(2)} ms/tick`);
await server.close();
sink.close();
