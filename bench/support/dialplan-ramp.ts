// `pbx-bench --dialplan`: the same PBX twice, side by side, one running the default dialplan and
// one with dialplans off, neither anchoring media. Both are ramped in step (one rate for both,
// one after the other), so the ratio compares the same minutes of a shared machine. A variant
// stops at its first step with a failed call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuMeter } from './proc-cpu.ts';
import { CALLEE, CALLER, startPbxStack, type PbxStack } from './pbx-stack.ts';
import { ramp, ratio, type Ramp } from './sipp-ramp.ts';
import type { ContextMode } from '../../dialplan/sandbox/index.ts';

interface Variant {
  stack: PbxStack;
  held: number;
  failed: boolean;
  /** App and engine CPU per call (µs) at each rate that held. */
  cpu: Map<number, { app: number; engine: number }>;
}

const uacFor = (v: Variant) => ({ scenario: 'uac-invite-auth', remote: v.stack.remote, service: CALLEE.user, authUser: CALLER.user, authPassword: CALLER.password, pauseMs: 100 });

/**
 * Not counted: the JIT (both V8 heaps of the dialplan stack), the dialplan's isolate, SQLite pages.
 * 10 s at 200/s: with 5 s at 100/s, TurboFan was still compiling the dialplan path's functions
 * through the first steps (73 compiles, 713 ms in a 10 s step against 52 and 411 ms without).
 */
async function warmUp(v: Variant): Promise<void> {
  await ramp(`${v.stack.label} (warm-up)`, uacFor(v), { start: 200, step: 1, max: 200, windowS: 10 });
  v.stack.takeAppProblems();
}

async function step(v: Variant, rate: number, windowS: number): Promise<void> {
  const [app, engine] = [cpuMeter(v.stack.app.pid), cpuMeter(v.stack.engine.pid)];
  const uac = uacFor(v);
  const ok = (await ramp(v.stack.label, uac, { start: rate, step: 1, max: rate, windowS })) === rate;
  const calls = rate * windowS;
  const cpu = { app: app(calls), engine: engine(calls) };
  process.stdout.write(`    CPU per call: app ${cpu.app.toFixed(0)} µs, engine ${cpu.engine.toFixed(0)} µs\n`);
  const problems = v.stack.takeAppProblems();
  if (problems.length > 0) process.stdout.write(`    app warnings and errors:\n${problems.map((l) => `      ${l}`).join('\n')}\n`);
  if (!ok) {
    v.failed = true;
    return;
  }
  v.held = rate;
  v.cpu.set(rate, cpu);
}

export async function dialplanComparison(r: Ramp, contextMode?: ContextMode, nodeArgs?: string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pbx-dialplan-bench-'));
  const variants: Variant[] = [];
  try {
    process.stdout.write(`PBX calls with and without the default dialplan (${contextMode ?? 'default'} context mode; no media anchoring; window ${r.windowS}s, ${r.start}..${r.max}/s step ${r.step})\n`);
    for (const [label, enabled] of [['no dialplan', false], ['default dialplan', true]] as const) {
      const stack = await startPbxStack({ label, dir: join(dir, enabled ? 'dialplan' : 'plain'), pbx: { dialplan: { enabled, ...(contextMode ? { contextMode } : {}) }, media: { anchor: false } }, nodeArgs });
      variants.push({ stack, held: 0, failed: false, cpu: new Map() });
    }
    for (const v of variants) await warmUp(v);
    for (let rate = r.start; rate <= r.max && variants.some((v) => !v.failed); rate += r.step) {
      for (const v of variants) if (!v.failed) await step(v, rate, r.windowS);
    }
    const [plain, dp] = variants as [Variant, Variant];
    const common = Math.max(0, ...[...dp.cpu.keys()].filter((k) => plain.cpu.has(k)));
    const at = (v: Variant) => v.cpu.get(common);
    const pbx = (c: { app: number; engine: number }) => c.app + c.engine;
    const cost = plain.held ? `${(100 * (1 - dp.held / plain.held)).toFixed(0)} %` : 'n/a';
    process.stdout.write(
      `\nresult (held ${r.windowS}s, 0 failed)     no dialplan   default dialplan   ratio\n` +
        `calls/s                          ${String(plain.held).padStart(11)}   ${String(dp.held).padStart(16)}   ${ratio(dp.held, plain.held)}   (the dialplan costs ${cost} of calls/s)\n` +
        (common
          ? `app CPU per call at ${common}/s (µs)  ${at(plain)!.app.toFixed(0).padStart(9)}   ${at(dp)!.app.toFixed(0).padStart(16)}   ${ratio(at(dp)!.app, at(plain)!.app)}\n` +
            `engine CPU per call at ${common}/s (µs) ${at(plain)!.engine.toFixed(0).padStart(8)}   ${at(dp)!.engine.toFixed(0).padStart(16)}   ${ratio(at(dp)!.engine, at(plain)!.engine)}\n` +
            `PBX CPU per call (app + engine)     ${pbx(at(plain)!).toFixed(0).padStart(9)}   ${pbx(at(dp)!).toFixed(0).padStart(16)}   ${ratio(pbx(at(dp)!), pbx(at(plain)!))}` +
            `   (a machine that runs out of CPU for the PBX gives ${(100 * (1 - pbx(at(plain)!) / pbx(at(dp)!))).toFixed(0)} % fewer calls/s)\n`
          : ''),
    );
  } finally {
    for (const v of variants) await v.stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
