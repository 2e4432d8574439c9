// rtpengine (Debian's rtpengine-daemon, userspace only: no kernel module, one worker thread) as the
// reference the media benchmark measures us against, driven over its NG control protocol (bencode
// over UDP on loopback). Started per measurement and stopped by PID.

import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { bdecode, bencode, type BValue } from './bencode.ts';

export class Ng {
  private readonly sock = dgram.createSocket('udp4');
  private n = 0;
  private readonly waiting = new Map<string, (v: Record<string, BValue>) => void>();
  constructor(private readonly port: number) {
    this.sock.on('message', (m) => {
      const sp = m.indexOf(0x20);
      const cookie = m.toString('ascii', 0, sp);
      this.waiting.get(cookie)?.(bdecode(m.subarray(sp + 1)) as Record<string, BValue>);
      this.waiting.delete(cookie);
    });
  }
  call(msg: Record<string, BValue>): Promise<Record<string, BValue>> {
    const cookie = `c${++this.n}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('rtpengine did not answer')), 2000);
      this.waiting.set(cookie, (v) => {
        clearTimeout(timer);
        resolve(v);
      });
      this.sock.send(Buffer.concat([Buffer.from(`${cookie} `), bencode(msg)]), this.port, '127.0.0.1');
    });
  }
  close(): void {
    this.sock.close();
  }
}

export interface Rtpengine {
  child: ChildProcess;
  pid: number;
  ng: Ng;
  /** Offer then answer; an error result from rtpengine throws with its reason. */
  call(msg: Record<string, BValue>): Promise<Record<string, BValue>>;
  stop(): Promise<void>;
}

/** Start rtpengine and wait until it answers a ping; throws (after stopping it) when it does not. */
export async function startRtpengine(ports: [number, number], ngPort = 22299): Promise<Rtpengine> {
  const child = spawn(
    'rtpengine',
    ['--foreground', '--config-file=none', '--table=-1', '--interface=127.0.0.1', `--listen-ng=127.0.0.1:${ngPort}`, `--port-min=${ports[0]}`, `--port-max=${ports[1]}`, '--delete-delay=0', '--log-level=3', '--log-stderr', '--num-threads=1'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.once('error', () => undefined);
  const ng = new Ng(ngPort);
  const stop = async (): Promise<void> => {
    ng.close();
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  for (let tries = 0; ; tries++) {
    try {
      await ng.call({ command: 'ping' });
      break;
    } catch (err) {
      if (tries > 20 || child.exitCode !== null) {
        await stop();
        throw new Error(`rtpengine not reachable: ${(err as Error).message} ${stderr.slice(0, 200)}`);
      }
    }
  }
  return {
    child,
    pid: child.pid!,
    ng,
    async call(msg) {
      const r = await ng.call(msg);
      if (r['result'] === 'error') throw new Error(`rtpengine ${String(msg['command'])}: ${String(r['error-reason'])}`);
      return r;
    },
    stop,
  };
}
