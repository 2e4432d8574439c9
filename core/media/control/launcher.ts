// Starting the media server as a child process and watching it: `exited` fires with the exit
// code or signal (SIGKILL included), and the client's `disconnected` fires with the lost legs.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Event } from '../util/event.ts';
import { MediaClient } from './client.ts';

export interface LaunchOptions {
  socketPath: string;
  ports: [number, number];
  ip?: string;
  extraArgs?: string[];
  /** Flags for node itself, before the script (e.g. --cpu-prof for a profile of the media process). */
  nodeArgs?: string[];
  /** Another build's main.ts (benchmarks compare checkouts); default this one. */
  mainPath?: string;
  /** How long to wait for the process to say it is ready. */
  startTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export interface MediaProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly client: MediaClient;
  readonly exited: Event<[{ code: number | null; signal: NodeJS.Signals | null }]>;
  readonly hasExited: boolean;
  /** SIGTERM, then wait for exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

export async function launchMediaServer(opts: LaunchOptions): Promise<MediaProcess> {
  const args = [...(opts.nodeArgs ?? []), '--import', 'tsx', opts.mainPath ?? MAIN, '--socket', opts.socketPath, '--ports', `${opts.ports[0]}-${opts.ports[1]}`, '--ip', opts.ip ?? '127.0.0.1', ...(opts.extraArgs ?? [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Event<[{ code: number | null; signal: NodeJS.Signals | null }]>();
  let hasExited = false;
  child.once('exit', (code, signal) => {
    hasExited = true;
    exited.emit({ code, signal });
  });
  await waitReady(child, exited, opts.startTimeoutMs ?? 15_000);
  const clientOpts = opts.requestTimeoutMs === undefined ? { socketPath: opts.socketPath } : { socketPath: opts.socketPath, requestTimeoutMs: opts.requestTimeoutMs };
  const client = await MediaClient.connect(clientOpts);
  return {
    child,
    pid: child.pid!,
    client,
    exited,
    get hasExited() {
      return hasExited;
    },
    async stop(graceMs = 5000) {
      client.close();
      if (hasExited) return;
      const done = exited.next();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await done;
      clearTimeout(timer);
    },
  };
}

/** Resolve on the child's "ready" line; kill it and reject on exit or timeout. */
function waitReady(child: ChildProcess, exited: MediaProcess['exited'], timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      offExit();
      if (err) {
        child.kill('SIGKILL');
        reject(err);
      } else resolve();
    };
    const timer = setTimeout(() => settle(new Error('media server did not start in time')), timeoutMs);
    const offExit = exited.on(({ code, signal }) => settle(new Error(`media server exited during start (${code ?? signal})`)));
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      // Keep reading (and discarding) stdout so a chatty child never blocks on a full pipe.
      if (settled) return;
      out += chunk;
      if (out.includes('ready\n')) settle();
    });
  });
}
