// PCMU↔Opus transcoding calls per core, ours next to rtpengine's, in the same run with the same load:
// N calls, each an A leg sending PCMU (a 400 Hz tone) and a B leg sending Opus (the same tone, one
// 20 ms frame at 48 kHz repeated), 50 pps into each leg; both servers decode and re-encode both ways.
// calls per core = N / (the server's CPU seconds per wall second), extrapolated from one load point,
// so compare the two figures with each other rather than read either as an exact capacity.
// Codec settings differ by design: ours encodes Opus at 16 kHz, complexity 5 (core/media/codecs/opus);
// rtpengine uses its defaults (libopus through ffmpeg at 48 kHz).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'sdp-transform';
import { launchMediaServer } from '../../core/media/control/launcher.ts';
import { opusCodec } from '../../core/media/codecs/opus/index.ts';
import { Generator, linearToUlaw } from './gen.ts';
import { cpuSeconds, sdpFor } from './load.ts';
import { startRtpengine } from './rtpengine.ts';
import { serverOptions } from './server-choice.ts';

const OPUS_PT = 96;
const read = (p: string): string => readFileSync(p, 'utf8');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface OpusFigure {
  name: string;
  calls: number;
  cpuPct: number;
  callsPerCore: number;
  /** Packets back to the generator per packet it sent (both directions); far below 1 means the server fell behind. */
  delivered: number;
}

function opusSdp(port: number): string {
  return ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP ${OPUS_PT} 101`, `a=rtpmap:${OPUS_PT} opus/48000/2`, `a=fmtp:${OPUS_PT} useinbandfec=1`, 'a=rtpmap:101 telephone-event/48000', 'a=sendrecv', ''].join('\r\n');
}

/** One 20 ms frame of a 400 Hz tone: µ-law for the A legs, Opus (48 kHz mono) for the B legs. */
function frames(): { ulaw: Buffer; opus: Buffer } {
  const ulaw = Buffer.alloc(160);
  for (let i = 0; i < 160; i++) ulaw[i] = linearToUlaw(8000 * Math.sin((2 * Math.PI * 400 * i) / 8000));
  const enc = opusCodec({ sampleRate: 48000 }).createEncoder();
  const pcm = new Int16Array(960);
  let opus: Buffer = Buffer.alloc(0);
  // A few frames first so the encoder is past its start-up; the last one is what we repeat.
  for (let f = 0; f < 5; f++) {
    for (let i = 0; i < 960; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 400 * (f * 960 + i)) / 48000));
    opus = enc.encode(pcm);
  }
  enc.close?.();
  return { ulaw, opus };
}

async function measureCalls(name: string, pid: number, gen: Generator, calls: number, windowS: number): Promise<OpusFigure> {
  const c0 = cpuSeconds(pid, read);
  const s0 = gen.counters.sent;
  const r0 = gen.counters.received;
  const t0 = performance.now();
  await sleep(windowS * 1000);
  const cpu = cpuSeconds(pid, read) - c0;
  const wall = (performance.now() - t0) / 1000;
  const cpuPct = (cpu / wall) * 100;
  return { name, calls, cpuPct, callsPerCore: calls / Math.max(1e-6, cpu / wall), delivered: (gen.counters.received - r0) / Math.max(1, gen.counters.sent - s0) };
}

async function ours(calls: number, windowS: number, warmupS: number): Promise<OpusFigure> {
  const { ulaw, opus } = frames();
  const dir = mkdtempSync(path.join(tmpdir(), 'media-opus-'));
  const media = await launchMediaServer({ socketPath: path.join(dir, 'm.sock'), ports: [40000, 44999], extraArgs: ['--rtp-timeout', '0'], requestTimeoutMs: 30_000, ...serverOptions() });
  const gen = await Generator.open(64);
  try {
    gen.run();
    for (let i = 0; i < calls; i++) {
      const a = await media.client.createLeg({ callId: `o${i}`, tag: 'a', offer: sdpFor(gen.portFor(2 * i), 'PCMU') });
      const b = await media.client.createLeg({ callId: `o${i}`, tag: 'b', offer: opusSdp(gen.portFor(2 * i + 1)) });
      const bridge = await media.client.bridge(a.legId, b.legId);
      if (bridge.modes.ab !== 'transcode' || bridge.modes.ba !== 'transcode') throw new Error(`bridge is not transcoding: ${JSON.stringify(bridge.modes)}`);
      gen.addLeg(2 * i, 0, ulaw, a.port);
      gen.addLeg(2 * i + 1, OPUS_PT, opus, b.port, 960);
    }
    await sleep(warmupS * 1000);
    return await measureCalls('ours', media.pid, gen, calls, windowS);
  } finally {
    gen.close();
    await media.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function rtpengine(calls: number, windowS: number, warmupS: number): Promise<OpusFigure> {
  const { ulaw, opus } = frames();
  const engine = await startRtpengine([45000, 49999]);
  const gen = await Generator.open(64);
  try {
    gen.run();
    for (let i = 0; i < calls; i++) {
      // A offers PCMU; rtpengine adds Opus toward B (it transcodes if B takes it); B answers Opus only.
      const off = await engine.call({ command: 'offer', 'call-id': `o${i}`, 'from-tag': 'a', sdp: sdpFor(gen.portFor(2 * i), 'PCMU'), codec: { transcode: ['opus'] } });
      const ans = await engine.call({ command: 'answer', 'call-id': `o${i}`, 'from-tag': 'a', 'to-tag': 'b', sdp: opusSdp(gen.portFor(2 * i + 1)) });
      const toB = parse(String(off['sdp'])).media[0]!;
      const toA = parse(String(ans['sdp'])).media[0]!;
      if (!toB.rtp.some((r) => r.codec.toLowerCase() === 'opus')) throw new Error('rtpengine did not offer Opus to B');
      if (!toA.rtp.some((r) => r.codec === 'PCMU')) throw new Error('rtpengine did not answer PCMU to A');
      gen.addLeg(2 * i, 0, ulaw, toA.port);
      gen.addLeg(2 * i + 1, OPUS_PT, opus, toB.port, 960);
    }
    await sleep(warmupS * 1000);
    return await measureCalls('rtpengine 10.5', engine.pid, gen, calls, windowS);
  } finally {
    gen.close();
    await engine.stop();
  }
}

export async function opusTranscode(calls: number, windowS: number, warmupS: number): Promise<OpusFigure[]> {
  console.log(`\n== PCMU↔Opus transcoding: ${calls} calls, 2 legs each, 50 pps into each leg, ${windowS} s window; calls per core = calls / cpu share`);
  const figures: OpusFigure[] = [await ours(calls, windowS, warmupS)];
  try {
    figures.push(await rtpengine(calls, windowS, warmupS));
  } catch (err) {
    console.log(`rtpengine: ${(err as Error).message}`);
  }
  for (const f of figures) {
    // Fewer packets out means less encoding done than the calls ask for: calls per core then reads high.
    const behind = f.delivered < 0.95 ? ' — fell behind, the figure overstates it' : '';
    console.log(`${f.name.padEnd(16)} cpu ${f.cpuPct.toFixed(1).padStart(5)}%  → ${f.callsPerCore.toFixed(0).padStart(5)} transcoded calls per core  (packets back/sent ${f.delivered.toFixed(2)}${behind})`);
  }
  return figures;
}
