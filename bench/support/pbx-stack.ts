// One complete PBX for a benchmark: the SIP engine and the PBX app as child processes on their own
// data directory and ports, users 1001 (caller) and 1002 (callee), and a sipp UAS registered as
// 1002 that answers every call. Two stacks can run side by side, so figures with and without a
// feature are taken in the same minutes of a shared machine. Every process is stopped by PID.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { startSipp, type SippRun } from '../../test/sipp/sipp.ts';
import { freePort } from '../../test/support/ports.ts';
import { runChild, startChild, stopChild } from './sipp-ramp.ts';

export const CALLER = { user: '1001', password: 'bench-1001' };
export const CALLEE = { user: '1002', password: 'bench-1002' };

export interface PbxStack {
  label: string;
  /** Where callers send INVITEs (host:port). */
  remote: string;
  engine: ChildProcess;
  app: ChildProcess;
  /** Warnings and errors the app logged since the last call (a failed step's explanation). */
  takeAppProblems(): string[];
  stop(): Promise<void>;
}

export interface PbxStackOptions {
  label: string;
  dir: string;
  /** Merged into the config's `pbx` section (dialplan, media, calls …). */
  pbx: Record<string, unknown>;
  /** Node options for the engine and the app (pbx-bench --profile: --cpu-prof …). */
  nodeArgs?: string[];
}

export async function startPbxStack(o: PbxStackOptions): Promise<PbxStack> {
  mkdirSync(o.dir, { recursive: true });
  const sipPort = await freePort('both');
  const adminPort = await freePort('tcp');
  const cfgFile = join(o.dir, 'config.json');
  writeFileSync(
    cfgFile,
    JSON.stringify({
      logLevel: 'notice',
      dataDir: o.dir,
      sip: { listen: [{ address: '127.0.0.1', port: sipPort, protocols: ['udp'] }], admin: { address: '127.0.0.1', port: adminPort, secret: 'bench' } },
      pbx: {
        domain: 'bench.test',
        demoUsers: false,
        http: { port: await freePort('tcp'), adminToken: 'bench-admin-token-0123456789' },
        keepalive: { intervalSec: 0 },
        auth: { throttle: { maxFailures: 0 } },
        calls: { ringTimeoutSec: 60 },
        ...o.pbx,
      },
    }),
  );
  const procs: ChildProcess[] = [];
  let callee: SippRun | undefined;
  const stop = async () => {
    await callee?.stop();
    for (const p of procs.reverse()) await stopChild(p, o.nodeArgs?.length ? 15_000 : undefined); // a profile is written on the way out
  };
  try {
    for (const u of [CALLER, CALLEE]) await runChild(['bin/pbx.ts', 'user', 'add', u.user, '--password', u.password, '--config', cfgFile]);
    const engine = await startChild([...(o.nodeArgs ?? []), 'bin/pbx.ts', 'sip', '--config', cfgFile], /listening/);
    procs.push(engine);
    const app = await startChild([...(o.nodeArgs ?? []), 'bin/pbx.ts', 'app', '--config', cfgFile], /connected/i);
    procs.push(app);
    let problems: string[] = [];
    const collect = (d: Buffer) => {
      for (const line of d.toString().split('\n')) if (/\b(WARN|ERROR|CRIT)/.test(line) && problems.length < 50) problems.push(line);
    };
    app.stdout!.on('data', collect);
    app.stderr!.on('data', collect);
    const takeAppProblems = () => [problems, (problems = [])][0]!;
    const remote = `127.0.0.1:${sipPort}`;
    const calleePort = await freePort('both');
    const reg = await (await startSipp({ scenario: 'uac-register', remote, localPort: calleePort, service: CALLEE.user, authUser: CALLEE.user, authPassword: CALLEE.password, keys: { expires: '3600' } })).done;
    if (reg.exitCode !== 0) throw new Error(`${o.label}: callee registration failed: ${reg.errors}`);
    callee = await startSipp({ scenario: 'uas-answer', localPort: calleePort, calls: 10_000_000, timeoutMs: 0, traceScreen: false, maxConcurrent: 10_000 });
    return { label: o.label, remote, engine, app, takeAppProblems, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
