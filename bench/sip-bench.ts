// SIP engine benchmark: the highest call rate held for a window with zero failed calls, and the
// REGISTER rate, each beside sipp's own UAC→UAS ceiling measured in the same run.
//
//   node --import tsx bench/sip-bench.ts [--window 20] [--start 250] [--step 250] [--max 3000]
//                                        [--reg-start 1000] [--reg-step 1000] [--reg-max 8000]
//
// Engine, app and sipp run as separate processes sharing the machine's cores, as drachtio-server
// would with its app. Every process is ended by PID; every step is bounded in calls and time.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { startSipp } from '../test/sipp/sipp.ts';
import { freePort } from '../test/support/ports.ts';
import { ramp, ratio, startChild, stopChild, type Ramp } from './support/sipp-ramp.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const WINDOW_S = arg('window', 20);
const CALLS: Ramp = { start: arg('start', 250), step: arg('step', 250), max: arg('max', 3000), windowS: WINDOW_S };
const REGS: Ramp = { start: arg('reg-start', 1000), step: arg('reg-step', 1000), max: arg('reg-max', 8000), windowS: WINDOW_S };

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sip-bench-'));
  const sipPort = await freePort('both');
  const adminPort = await freePort('tcp');
  const config = {
    logLevel: 'notice',
    dataDir: dir,
    sip: { listen: [{ address: '127.0.0.1', port: sipPort, protocols: ['udp'] }], admin: { address: '127.0.0.1', port: adminPort, secret: 'bench' } },
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const procs: ChildProcess[] = [];
  try {
    process.stdout.write(`SIP engine benchmark (window ${WINDOW_S}s)\n`);
    // Ceiling: sipp UAC straight to a sipp UAS, same scenarios.
    const ceilingUas = await startSipp({ scenario: 'uas-answer-then-bye', pauseMs: 100, calls: 1_000_000, timeoutMs: 0, traceScreen: false, maxConcurrent: 10_000 });
    const sippCalls = await ramp('sipp->sipp calls', { scenario: 'uac-invite-wait-bye', remote: `127.0.0.1:${ceilingUas.localPort}` }, CALLS);
    await ceilingUas.stop();
    const regUas = await startSipp({ scenario: 'uas-register-noauth', calls: 10_000_000, timeoutMs: 0, traceScreen: false, maxConcurrent: 10_000 });
    const sippRegs = await ramp('sipp->sipp REGISTER', { scenario: 'uac-register-noauth', remote: `127.0.0.1:${regUas.localPort}` }, REGS);
    await regUas.stop();

    procs.push(await startChild(['bin/pbx.ts', 'sip', '--config', join(dir, 'config.json')], /listening/));
    procs.push(await startChild(['bench/apps/trivial-srf.ts', String(adminPort), 'bench'], /ready/));
    const engineCalls = await ramp('engine calls', { scenario: 'uac-invite-wait-bye', remote: `127.0.0.1:${sipPort}` }, CALLS);
    const engineRegs = await ramp('engine REGISTER', { scenario: 'uac-register-noauth', remote: `127.0.0.1:${sipPort}` }, REGS);

    process.stdout.write(
      `\nresult (held ${WINDOW_S}s, 0 failed)   engine   sipp ceiling   ratio\n` +
        `calls/s                       ${String(engineCalls).padStart(6)}   ${String(sippCalls).padStart(12)}   ${ratio(engineCalls, sippCalls)}\n` +
        `REGISTER/s                    ${String(engineRegs).padStart(6)}   ${String(sippRegs).padStart(12)}   ${ratio(engineRegs, sippRegs)}\n`,
    );
  } finally {
    for (const p of procs.reverse()) await stopChild(p);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
