import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchMediaServer } from '../../core/media/control/launcher.ts';
import { Generator, PCMU_SILENCE, ulawTone } from './gen.ts';
import { cpuSeconds, sdpFor } from './load.ts';
const [partsArg, secsArg, io, doPerf] = process.argv.slice(2);
const parts = Number(partsArg ?? 600);
const rooms = 10;
const dir = mkdtempSync(path.join(tmpdir(), 'conf-'));
const media = await launchMediaServer({ socketPath: path.join(dir, 'm.sock'), ports: [40000, 49999], extraArgs: ['--rtp-timeout', '0', '--udp-io', io ?? 'native', '--udp-send-thread', process.env.ST ?? 'on'], requestTimeoutMs: 30000, nodeArgs: process.env.MEDIA_NODE_ARGS ? process.env.MEDIA_NODE_ARGS.split(' ') : [] });
const gen = await Generator.open(64);
gen.run();
const tone = ulawTone();
const silence = Buffer.alloc(160, PCMU_SILENCE);
const legIds: string[] = [];
for (let idx = 0; idx < parts; idx++) {
  const room = idx % rooms;
  const n = Math.floor(idx / rooms);
  const leg = await media.client.createLeg({ callId: `p${idx}`, offer: sdpFor(gen.portFor(idx), 'PCMU') });
  await media.client.joinConference({ confId: `room${room}`, legId: leg.legId, tones: false });
  gen.addLeg(idx, 0, n < 2 ? tone : silence, leg.port);
  legIds.push(leg.legId);
}
await new Promise((r) => setTimeout(r, 1500));
const perf = doPerf ? spawn('perf', ['record', '-F', '1999', '-g', '-o', '/tmp/h4/perf.data', '-p', String(media.pid)], { stdio: 'inherit' }) : undefined;
const s0 = await media.client.status();
const c0 = cpuSeconds(media.pid, (p) => readFileSync(p, 'utf8'));
const m0 = cpuSeconds(media.pid, () => readFileSync(`/proc/${media.pid}/task/${media.pid}/stat`, 'utf8'));
const g0 = gen.counters.sent;
const t0 = performance.now();
const lags: number[] = [];
let last = s0.clock.ticks;
const end = t0 + Number(secsArg ?? 5) * 1000;
while (performance.now() < end) {
  await new Promise((r) => setTimeout(r, 13));
  const st = await media.client.status();
  if (st.clock.ticks !== last) { lags.push(st.clock.lastLagMs); last = st.clock.ticks; }
}
const wall = (performance.now() - t0) / 1000;
const cpu = cpuSeconds(media.pid, (p) => readFileSync(p, 'utf8')) - c0;
const mainCpu = cpuSeconds(media.pid, () => readFileSync(`/proc/${media.pid}/task/${media.pid}/stat`, 'utf8')) - m0;
perf?.kill('SIGINT');
if (perf) await new Promise((r) => perf.once('exit', r));
const s1 = await media.client.status();
lags.sort((a, b) => a - b);
const q = (x: number) => lags[Math.min(lags.length - 1, Math.ceil(x * lags.length) - 1)]?.toFixed(1);
console.log(`${parts} parts ${io}: cpu ${((cpu / wall) * 100).toFixed(1)}% offered ${(((gen.counters.sent - g0) / (parts * 50 * wall)) * 100).toFixed(0)}% lag p50 ${q(0.5)} p99 ${q(0.99)} n=${lags.length} ticks ${s1.clock.ticks - s0.clock.ticks} skipped ${s1.clock.skipped - s0.clock.skipped} main ms/tick ${((mainCpu * 1000) / (s1.clock.ticks - s0.clock.ticks)).toFixed(2)} ms/tick ${((cpu * 1000) / (s1.clock.ticks - s0.clock.ticks)).toFixed(2)} work/tick ${((s1.clock.workMs! - s0.clock.workMs!) / (s1.clock.ticks - s0.clock.ticks)).toFixed(2)} maxWork ${s1.clock.maxWorkMs?.toFixed(1)}`);
for (const id of [legIds[0]!, legIds[55]!, legIds[300]!]) console.log(JSON.stringify((await media.client.legStats(id)).jitterBuffer), JSON.stringify((await media.client.legStats(id)).rx));
console.log(JSON.stringify(s1.udpCounters));
gen.close();
await media.stop();
