// Capacity ramps for the media benchmark (the issue's speed figures):
//  - calls: concurrent bridged G.711 calls (2 legs each, 50 pps into both legs) while the media
//    process stays under 60 % of one core; pass-through PCMU↔PCMU and transcoding PCMU↔PCMA.
//  - conference: participants in R rooms (default 10 rooms, a few talkers each) while the media
//    clock's p99 tick lag stays under 10 ms and the media process under 100 % of one core.
// Calls/participants are added to a running server step by step (never restarted), each step has a
// warm-up and then a fixed measuring window. CPU is the media process's utime+stime from /proc.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchMediaServer, type MediaProcess } from '../../core/media/control/launcher.ts';
import { Generator, PCMA_SILENCE, PCMU_SILENCE, ulawTone } from './gen.ts';
import { cpuSeconds, sdpFor } from './load.ts';
import { serverOptions } from './server-choice.ts';
import { lagCount, lagDelta, lagQuantile } from '../../core/media/engine/tick-lag.ts';

export interface RampOptions {
  windowS: number;
  warmupS: number;
  /** Stop the whole ramp after this many seconds even if limits were never reached. */
  budgetS: number;
  pool: number;
}

interface Window {
  cpuPct: number;
  genCpuPct: number;
  sent: number;
  received: number;
  wallS: number;
  cpuS: number;
}

const read = (p: string): string => readFileSync(p, 'utf8');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function withServer<T>(fn: (media: MediaProcess) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'media-ramp-'));
  const media = await launchMediaServer({ socketPath: path.join(dir, 'm.sock'), ports: [40000, 49999], extraArgs: ['--rtp-timeout', '0'], requestTimeoutMs: 30_000, ...serverOptions() });
  try {
    return await fn(media);
  } finally {
    await media.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureWindow(pid: number, gen: Generator, seconds: number): Promise<Window> {
  const c0 = cpuSeconds(pid, read);
  const g0 = process.cpuUsage();
  const s0 = gen.counters.sent;
  const r0 = gen.counters.received;
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const cpuS = cpuSeconds(pid, read) - c0;
  const g = process.cpuUsage(g0);
  const wallS = (performance.now() - t0) / 1000;
  return { cpuPct: (cpuS / wallS) * 100, genCpuPct: ((g.user + g.system) / 1e6 / wallS) * 100, sent: gen.counters.sent - s0, received: gen.counters.received - r0, wallS, cpuS };
}

/**
 * The longest the bench's own event loop went without running a 5 ms timer during `seconds`: the
 * bench process (and its load generator) shares the machine with the media server, so a long gap
 * here at the same time as a tick-lag spike there means the machine stalled both, not the mixer.
 */
async function loopGap(seconds: number): Promise<number> {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
  }, 5);
  await sleep(seconds * 1000);
  clearInterval(timer);
  return max;
}

/** Run `jobs` with at most `width` in flight (leg creation over the control socket). */
async function batched(count: number, width: number, job: (i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < count; i += width) {
    await Promise.all(Array.from({ length: Math.min(width, count - i) }, (_, k) => job(i + k)));
  }
}

const pct = (x: number): string => `${x.toFixed(1)}%`.padStart(7);

// ---------------------------------------------------------------- calls

/** Below this share of the packets a step asks for, the generator fell behind and the step proves nothing. */
const MIN_OFFERED = 0.9;
/** Above this loss a step does not pass whatever the CPU says: a server that drops what it cannot handle is not keeping up. */
const MAX_LOSS_PCT = 5;

export interface CallsRow {
  calls: number;
  cpuPct: number;
  genCpuPct: number;
  lossPct: number;
  usPerPkt: number;
  ok: boolean;
}

export async function rampCalls(transcode: boolean, steps: number[], opts: RampOptions): Promise<{ rows: CallsRow[]; best: number }> {
  const label = transcode ? 'PCMU↔PCMA transcode' : 'PCMU↔PCMU pass-through';
  console.log(`\n== bridged calls, ${label}: 2 legs/call, 50 pps into each leg, ${opts.windowS} s window per step, limit 60 % of one core`);
  console.log(`${'calls'.padStart(6)} ${'legs'.padStart(6)} ${'media cpu'.padStart(9)} ${'gen cpu'.padStart(8)} ${'pkts/s'.padStart(8)} ${'loss'.padStart(7)} ${'µs/pkt'.padStart(7)}  verdict`);
  const rows: CallsRow[] = [];
  const tone = ulawTone();
  const pcmaSilence = Buffer.alloc(160, PCMA_SILENCE);
  const started = performance.now();
  await withServer(async (media) => {
    const gen = await Generator.open(opts.pool);
    try {
      gen.run();
      let calls = 0;
      for (const target of steps) {
        if ((performance.now() - started) / 1000 > opts.budgetS) {
          console.log(`(time budget of ${opts.budgetS} s reached: ramp stopped)`);
          break;
        }
        await batched(target - calls, 25, async (k) => {
          const i = calls + k;
          const pa = 2 * i;
          const pb = 2 * i + 1;
          const a = await media.client.createLeg({ callId: `c${i}`, tag: 'a', offer: sdpFor(gen.portFor(pa), 'PCMU') });
          const b = await media.client.createLeg({ callId: `c${i}`, tag: 'b', offer: sdpFor(gen.portFor(pb), transcode ? 'PCMA' : 'PCMU') });
          await media.client.bridge(a.legId, b.legId);
          gen.addLeg(pa, 0, tone, a.port);
          gen.addLeg(pb, transcode ? 8 : 0, transcode ? pcmaSilence : Buffer.alloc(160, PCMU_SILENCE), b.port);
        });
        calls = target;
        await sleep(opts.warmupS * 1000);
        const w = await measureWindow(media.pid, gen, opts.windowS);
        const lossPct = w.sent > 0 ? Math.max(0, (1 - w.received / w.sent) * 100) : 0;
        const offered = w.sent / (calls * 2 * 50 * w.wallS);
        const row: CallsRow = { calls, cpuPct: w.cpuPct, genCpuPct: w.genCpuPct, lossPct, usPerPkt: (w.cpuS * 1e6) / Math.max(1, w.received), ok: w.cpuPct < 60 && offered >= MIN_OFFERED && lossPct <= MAX_LOSS_PCT };
        rows.push(row);
        const behind = `generator behind: ${(offered * 100).toFixed(0)} % of the packets offered`;
        const verdict = offered < MIN_OFFERED ? behind : lossPct > MAX_LOSS_PCT ? `loss > ${MAX_LOSS_PCT} %` : row.ok ? (lossPct > 1 ? 'ok (cpu) but loss > 1 %' : 'ok') : 'over 60 %';
        console.log(`${String(calls).padStart(6)} ${String(2 * calls).padStart(6)} ${pct(w.cpuPct).padStart(9)} ${pct(w.genCpuPct).padStart(8)} ${String(Math.round(w.received / w.wallS)).padStart(8)} ${pct(lossPct)} ${row.usPerPkt.toFixed(1).padStart(7)}  ${verdict}`);
        if (!row.ok) break;
      }
    } finally {
      gen.close();
    }
  });
  const passing = rows.filter((r) => r.ok);
  const best = passing.length ? passing[passing.length - 1]!.calls : 0;
  const last = rows[rows.length - 1];
  const note = last?.ok ? ' (never crossed 60 %: the real figure is higher — add steps)' : '';
  console.log(`→ ${label}: ${best} concurrent calls under 60 % of one core${note} (target ≥ 400)`);
  return { rows, best };
}

// ---------------------------------------------------------------- conference

export interface ConfOptions extends RampOptions {
  rooms: number;
  talkersPerRoom: number;
}

interface LagSample {
  p50: number;
  p99: number;
  /** Ticks in the window (the histogram's count, skipped ones included). */
  ticks: number;
  skipped: number;
  /** Mean time one tick's work took (servers that report it), in ms. */
  workMsPerTick: number;
}

/**
 * The media server records, for every tick, how long after its due time the tick finished (timer
 * lateness plus the tick's own work; tick-lag.ts). Two status snapshots around the window give the
 * exact distribution of the ticks in between, so nothing depends on how often the bench polls.
 */
async function sampleLag(media: MediaProcess, seconds: number): Promise<LagSample> {
  const first = await media.client.status();
  await sleep(seconds * 1000);
  const last = await media.client.status();
  if (!first.clock.tickLag || !last.clock.tickLag) throw new Error('this media server does not report per-tick lag (clock.tickLag)');
  const d = lagDelta(first.clock.tickLag, last.clock.tickLag);
  const ticks = last.clock.ticks - first.clock.ticks;
  const workMsPerTick = last.clock.workMs !== undefined && ticks > 0 ? (last.clock.workMs - (first.clock.workMs ?? 0)) / ticks : Number.NaN;
  return { p50: lagQuantile(d, 0.5), p99: lagQuantile(d, 0.99), ticks: lagCount(d), skipped: last.clock.skipped - first.clock.skipped, workMsPerTick };
}

export interface ConfRow {
  participants: number;
  cpuPct: number;
  genCpuPct: number;
  p50: number;
  p99: number;
  ticks: number;
  skipped: number;
  rxPct: number;
  ok: boolean;
}

export async function rampConference(perRoomSteps: number[], opts: ConfOptions): Promise<{ rows: ConfRow[]; best: number }> {
  const { rooms, talkersPerRoom } = opts;
  console.log(`\n== conference: ${rooms} rooms × N PCMU participants, ${talkersPerRoom} talkers/room (400 Hz tone), the rest send µ-law silence; all send 50 pps`);
  console.log(`   tick lag = per tick, measured inside the media server: when the tick finished minus when it fell due (timer lateness + the tick's work; skipped ticks count as worst), every tick of the ${opts.windowS} s window; limit p99 < 10 ms and cpu < 100 %`);
  console.log(`   work/tick = the media clock's own time per tick (all phases), apart from any wait for the CPU`);
  console.log(`   bench gap = longest stall of the bench's own event loop in the window (a control: large when the machine froze both processes)`);
  console.log(`${'parts'.padStart(6)} ${'/room'.padStart(5)} ${'media cpu'.padStart(9)} ${'gen cpu'.padStart(8)} ${'lag p50'.padStart(8)} ${'lag p99'.padStart(8)} ${'work/tick'.padStart(9)} ${'ticks'.padStart(7)} ${'skipped'.padStart(7)} ${'mix rx'.padStart(7)} ${'bench gap'.padStart(9)}  verdict`);
  const rows: ConfRow[] = [];
  const tone = ulawTone();
  const silence = Buffer.alloc(160, PCMU_SILENCE);
  const started = performance.now();
  await withServer(async (media) => {
    const gen = await Generator.open(opts.pool);
    try {
      gen.run();
      let perRoom = 0;
      for (const target of perRoomSteps) {
        if ((performance.now() - started) / 1000 > opts.budgetS) {
          console.log(`(time budget of ${opts.budgetS} s reached: ramp stopped)`);
          break;
        }
        // Add participants room by room; index n within a room decides talker or silent.
        const add = target - perRoom;
        await batched(add * rooms, 25, async (k) => {
          const room = k % rooms;
          const n = perRoom + Math.floor(k / rooms);
          const idx = n * rooms + room;
          const leg = await media.client.createLeg({ callId: `p${idx}`, offer: sdpFor(gen.portFor(idx), 'PCMU') });
          await media.client.joinConference({ confId: `room${room}`, legId: leg.legId, tones: false });
          gen.addLeg(idx, 0, n < talkersPerRoom ? tone : silence, leg.port);
        });
        perRoom = target;
        const participants = perRoom * rooms;
        await sleep(opts.warmupS * 1000);
        const [w, lag, gap] = await Promise.all([measureWindow(media.pid, gen, opts.windowS), sampleLag(media, opts.windowS), loopGap(opts.windowS)]);
        const p99 = lag.p99;
        const expected = participants * 50 * w.wallS;
        const rxPct = (w.received / Math.max(1, expected)) * 100;
        const offered = w.sent / Math.max(1, expected);
        const row: ConfRow = { participants, cpuPct: w.cpuPct, genCpuPct: w.genCpuPct, p50: lag.p50, p99, ticks: lag.ticks, skipped: lag.skipped, rxPct, ok: p99 < 10 && w.cpuPct < 100 && offered >= MIN_OFFERED };
        rows.push(row);
        const verdict = row.ok
          ? 'ok'
          : [p99 >= 10 ? 'p99 ≥ 10 ms' : '', w.cpuPct >= 100 ? 'cpu ≥ 100 %' : '', offered < MIN_OFFERED ? `generator behind: ${(offered * 100).toFixed(0)} % offered` : ''].filter(Boolean).join(', ');
        console.log(`${String(participants).padStart(6)} ${String(perRoom).padStart(5)} ${pct(w.cpuPct).padStart(9)} ${pct(w.genCpuPct).padStart(8)} ${`${row.p50.toFixed(1)}ms`.padStart(8)} ${`${p99.toFixed(1)}ms`.padStart(8)} ${`${lag.workMsPerTick.toFixed(2)}ms`.padStart(9)} ${String(row.ticks).padStart(7)} ${String(lag.skipped).padStart(7)} ${pct(rxPct)} ${`${gap.toFixed(0)}ms`.padStart(9)}  ${verdict}`);
        if (!row.ok) break;
      }
    } finally {
      gen.close();
    }
  });
  const passing = rows.filter((r) => r.ok);
  const best = passing.length ? passing[passing.length - 1]!.participants : 0;
  const last = rows[rows.length - 1];
  const note = last?.ok ? ' (never crossed a limit: the real figure is higher — add steps)' : '';
  console.log(`→ conference: ${best} participants with p99 tick lag < 10 ms and cpu < 100 % of one core${note} (target ≥ 600)`);
  return { rows, best };
}
