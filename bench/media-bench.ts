// Media benchmarks, in four modes (`--mode relay|calls|conference|opus|all`, default all):
//  relay: CPU per forwarded packet of our media server (pass-through PCMU and a PCMU→PCMA transcode
//    on the native UDP layer, and pass-through on Node's dgram) against rtpengine (userspace, no
//    kernel module) and a bare dgram relay (the floor for any relay on Node's sockets) in the same
//    run. "loss" for the transcode counts the concealment frames sent after each stream stops as
//    received, so it reads low.
//  calls: ramp of concurrent bridged G.711 calls (PCMU↔PCMU, then PCMU↔PCMA) → the highest count
//    with the media process under 60 % of one core (issue target ≥ 400).
//  conference: ramp of conference participants (10 rooms × N by default) → the highest count with
//    the media clock's p99 tick lag < 10 ms and the media process under 100 % of one core (≥ 600).
//    The lag is measured inside the server for every tick (end of the tick's work minus its due time,
//    status.clock.tickLag); a "bench gap" column shows how long the bench's own loop stalled, as a
//    control for a machine that freezes both processes.
//  opus: PCMU↔Opus transcoded calls per core, ours and rtpengine's, at --opus-calls calls (30).
//   node --import tsx bench/media-bench.ts [streams] [seconds] [--mode M] [--window S] [--warmup S]
//        [--rooms R] [--talkers T] [--no-transcode] [--call-steps 100,200,…] [--room-steps 10,20,…]
//        [--opus-calls N] [--rounds N (relay: interleaved repeats, median shown)]
// Run on purpose, not in `npm test`. Loopback only; every process started is stopped by PID.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'sdp-transform';
import { launchMediaServer } from '../core/media/control/launcher.ts';
import { cpuTimes, createLoad, sdpFor } from './media/load.ts';
import { rampCalls, rampConference } from './media/ramp.ts';
import { startRtpengine, type Rtpengine } from './media/rtpengine.ts';
import { opusTranscode } from './media/opus.ts';
import { serverLabel, serverOptions } from './media/server-choice.ts';

const flags = new Map<string, string>();
const positional: string[] = [];
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i]!;
  if (!a.startsWith('--')) positional.push(a);
  else if (a === '--no-transcode') flags.set('no-transcode', '1');
  else flags.set(a.slice(2), process.argv[++i] ?? '');
}
const numFlag = (k: string, d: number): number => (flags.has(k) ? Number(flags.get(k)) : d);
const listFlag = (k: string, d: number[]): number[] => (flags.has(k) ? flags.get(k)!.split(',').map(Number).filter((n) => n > 0) : d);
const mode = flags.get('mode') ?? 'all';
const streams = Number(positional[0] ?? 200);
const seconds = Number(positional[1] ?? 5);
const read = (p: string): string => readFileSync(p, 'utf8');
const portOf = (sdp: string): number => parse(sdp).media[0]!.port;

interface Figure {
  name: string;
  usPerPacket: number;
  loss: number;
  cpuPct: number;
  /** Share of the CPU time spent in the kernel (system time). */
  kernelShare: number;
}

async function measure(name: string, pid: number, load: Awaited<ReturnType<typeof createLoad>>): Promise<Figure> {
  const c0 = cpuTimes(pid, read);
  const t0 = performance.now();
  await load.run(seconds);
  const c1 = cpuTimes(pid, read);
  const cpu = c1.user + c1.system - c0.user - c0.system;
  const wall = (performance.now() - t0) / 1000;
  const got = load.received();
  const kernelShare = cpu > 0 ? (c1.system - c0.system) / cpu : 0;
  return { name, usPerPacket: (cpu * 1e6) / Math.max(1, got), loss: 1 - got / Math.max(1, load.sent()), cpuPct: (cpu / wall) * 100, kernelShare };
}

/** udpIo 'native-1t': the native layer without its send thread (everything on the event loop's core). */
async function ours(transcode: boolean, udpIo: 'native' | 'native-1t' | 'dgram'): Promise<Figure> {
  const dir = mkdtempSync(path.join(tmpdir(), 'media-bench-'));
  const io = udpIo === 'native-1t' ? ['--udp-io', 'native', '--udp-send-thread', 'off'] : ['--udp-io', udpIo];
  const media = await launchMediaServer({ socketPath: path.join(dir, 'm.sock'), ports: [40000, 44999], extraArgs: ['--rtp-timeout', '0', ...io], ...serverOptions() });
  const load = await createLoad(streams);
  try {
    for (const [i, s] of load.streams.entries()) {
      const a = await media.client.createLeg({ callId: `b${i}`, offer: sdpFor(s.txPort) });
      const b = await media.client.createLeg({ callId: `b${i}`, offer: sdpFor(s.rxPort, transcode ? 'PCMA' : 'PCMU') });
      await media.client.bridge(a.legId, b.legId);
      s.target = { address: '127.0.0.1', port: portOf(a.sdp) };
    }
    return await measure(`ours ${transcode ? 'PCMU→PCMA transcode' : 'PCMU relay'} (${udpIo})`, media.pid, load);
  } finally {
    load.close();
    await media.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bareNode(): Promise<Figure> {
  const load = await createLoad(streams);
  const script = new URL('./media/bare-relay.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(load.streams.map((s) => s.rxPort))], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    const ports = await new Promise<number[]>((resolve) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(JSON.parse(out) as number[]);
      });
    });
    load.streams.forEach((s, i) => (s.target = { address: '127.0.0.1', port: ports[i]! }));
    return await measure('bare Node relay (floor)', child.pid!, load);
  } finally {
    load.close();
    child.kill('SIGTERM');
    await exited;
  }
}

async function rtpengine(): Promise<Figure | string> {
  const load = await createLoad(streams);
  let engine: Rtpengine | undefined;
  try {
    engine = await startRtpengine([45000, 49999]);
    for (const [i, s] of load.streams.entries()) {
      await engine.call({ command: 'offer', 'call-id': `r${i}`, 'from-tag': 'a', sdp: sdpFor(s.txPort) });
      // The answer's rewritten SDP goes back to A, the offerer: the port in it is where A sends.
      const ans = await engine.call({ command: 'answer', 'call-id': `r${i}`, 'from-tag': 'a', 'to-tag': 'b', sdp: sdpFor(s.rxPort) });
      s.target = { address: '127.0.0.1', port: portOf(String(ans['sdp'])) };
    }
    return await measure('rtpengine 10.5 userspace relay', engine.pid, load);
  } catch (err) {
    return (err as Error).message;
  } finally {
    load.close();
    await engine?.stop();
  }
}

/**
 * Each configuration `rounds` times, interleaved (ours, …, rtpengine, ours, …), so a burst of load from
 * a neighbour on the shared machine lands on all of them alike; the table shows each one's median.
 */
async function relay(rounds: number, summary: string[]): Promise<void> {
  console.log(`\n== relay: ${streams} streams × 50 pps × ${seconds} s, one direction, loopback; ${rounds} interleaved round(s), median shown`);
  const runs: (() => Promise<Figure | string>)[] = [() => ours(false, 'native'), () => ours(false, 'native-1t'), () => ours(true, 'native'), () => ours(false, 'dgram'), bareNode, rtpengine];
  const seen = new Map<string, Figure[]>();
  for (let r = 0; r < rounds; r++) {
    for (const run of runs) {
      const f = await run().catch((e: unknown) => `failed: ${(e as Error).message}`);
      if (typeof f === 'string') console.log(f);
      else seen.set(f.name, [...(seen.get(f.name) ?? []), f]);
    }
  }
  const median = (fs: Figure[]): Figure => [...fs].sort((a, b) => a.usPerPacket - b.usPerPacket)[Math.floor((fs.length - 1) / 2)]!;
  const ref = [...seen.entries()].find(([name]) => name.startsWith('rtpengine'))?.[1];
  const base = ref ? median(ref).usPerPacket : undefined;
  for (const [name, fs] of seen) {
    const f = median(fs);
    const ratio = base ? ` ${(f.usPerPacket / base).toFixed(2)}× rtpengine` : '';
    const all = fs.length > 1 ? `  (runs: ${fs.map((x) => x.usPerPacket.toFixed(1)).join(', ')})` : '';
    console.log(`${name.padEnd(36)} ${f.usPerPacket.toFixed(1).padStart(7)} µs/pkt  cpu ${f.cpuPct.toFixed(0).padStart(3)}% (kernel ${(f.kernelShare * 100).toFixed(0).padStart(2)}%)  loss ${(f.loss * 100).toFixed(2)}%${ratio}${all}`);
    if (name.startsWith('ours PCMU relay (native)') && base) summary.push(`relay CPU per packet: ${(f.usPerPacket / base).toFixed(2)}× rtpengine (target ≤ 1.1×)`);
  }
}

async function main(): Promise<void> {
  if (!['relay', 'calls', 'conference', 'opus', 'all'].includes(mode)) throw new Error(`--mode relay|calls|conference|opus|all, not ${mode}`);
  const ramp = { windowS: numFlag('window', 8), warmupS: numFlag('warmup', 1.5), budgetS: numFlag('budget', 100), pool: numFlag('pool', 64) };
  const summary: string[] = [];
  const load1 = loadavg()[0]!;
  console.log(`media bench, mode ${mode}, ${serverLabel()}; ${cpus().length} cpus, load average ${load1.toFixed(2)}${load1 > 0.5 ? ' — WARNING: the machine is busy, CPU figures will be off' : ''}`);
  if (mode === 'relay' || mode === 'all') await relay(numFlag('rounds', 1), summary);
  if (mode === 'calls' || mode === 'all') {
    const steps = listFlag('call-steps', [100, 150, 200, 250, 300, 350, 400, 500, 600, 800]);
    const pass = await rampCalls(false, steps, ramp);
    summary.push(`bridged PCMU↔PCMU calls under 60 % of one core: ${pass.best} (target ≥ 400)`);
    if (!flags.has('no-transcode')) {
      const tc = await rampCalls(true, steps, ramp);
      summary.push(`bridged PCMU↔PCMA calls under 60 % of one core: ${tc.best}`);
    }
  }
  if (mode === 'conference' || mode === 'all') {
    const steps = listFlag('room-steps', [10, 20, 30, 40, 50, 60, 80, 100, 120]);
    const conf = await rampConference(steps, { ...ramp, rooms: numFlag('rooms', 10), talkersPerRoom: numFlag('talkers', 2) });
    summary.push(`conference participants (p99 tick lag < 10 ms, cpu < 100 %): ${conf.best} (target ≥ 600)`);
  }
  if (mode === 'opus' || mode === 'all') {
    const [o, r] = await opusTranscode(numFlag('opus-calls', 30), numFlag('window', 8), numFlag('warmup', 1.5));
    const ref = r ? ` vs rtpengine ${r.callsPerCore.toFixed(0)} (${(o!.callsPerCore / r.callsPerCore).toFixed(2)}×)` : ' (rtpengine not measured)';
    summary.push(`PCMU↔Opus transcoded calls per core: ours ${o!.callsPerCore.toFixed(0)}${ref}`);
  }
  if (summary.length) console.log(`\n== summary\n${summary.map((l) => `  ${l}`).join('\n')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
