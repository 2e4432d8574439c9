// Load generator for the media benchmark: S streams, each a sender socket and a receiver socket,
// 50 packets/s of 160-byte PCMU payload per stream, paced by wall time; counts what arrives.

import dgram from 'node:dgram';

export interface Stream {
  /** Receiver's port (goes into its SDP). */
  rxPort: number;
  txPort: number;
  /** Where the sender sends (filled in after signalling). */
  target?: { address: string; port: number };
}

export interface Load {
  streams: Stream[];
  received(): number;
  sent(): number;
  run(seconds: number): Promise<void>;
  close(): void;
}

function bind(): Promise<dgram.Socket> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, '127.0.0.1', () => resolve(s));
  });
}

export async function createLoad(count: number): Promise<Load> {
  const tx: dgram.Socket[] = [];
  const rx: dgram.Socket[] = [];
  let received = 0;
  let sent = 0;
  const streams: Stream[] = [];
  for (let i = 0; i < count; i++) {
    const t = await bind();
    const r = await bind();
    r.on('message', () => received++);
    t.on('message', () => undefined);
    tx.push(t);
    rx.push(r);
    streams.push({ rxPort: r.address().port, txPort: t.address().port });
  }
  const packet = (seq: number, ssrc: number): Buffer => {
    const b = Buffer.alloc(172, 0xd5);
    b[0] = 0x80;
    b[1] = 0;
    b.writeUInt16BE(seq & 0xffff, 2);
    b.writeUInt32BE((seq * 160) >>> 0, 4);
    b.writeUInt32BE(ssrc >>> 0, 8);
    return b;
  };
  return {
    streams,
    received: () => received,
    sent: () => sent,
    run(seconds) {
      return new Promise((resolve) => {
        const start = performance.now();
        const total = seconds * 50;
        let tick = 0;
        const step = (): void => {
          const due = Math.min(total, Math.floor((performance.now() - start) / 20) + 1);
          for (; tick < due; tick++) {
            streams.forEach((s, i) => {
              if (!s.target) return;
              tx[i]!.send(packet(tick, 1000 + i), s.target.port, s.target.address);
              sent++;
            });
          }
          if (tick >= total) setTimeout(resolve, 300);
          else setTimeout(step, 20 - ((performance.now() - start) % 20));
        };
        step();
      });
    },
    close() {
      for (const s of [...tx, ...rx]) s.close();
    },
  };
}

export function sdpFor(port: number, codec: 'PCMU' | 'PCMA' = 'PCMU'): string {
  const pt = codec === 'PCMU' ? 0 : 8;
  // With telephone-event, as desk phones offer it (without it the server would decode for in-band DTMF).
  return ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP ${pt} 101`, `a=rtpmap:${pt} ${codec}/8000`, 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', ''].join('\r\n');
}

/** CPU seconds (user+system) a process has used, from /proc. */
export function cpuSeconds(pid: number, readFile: (p: string) => string): number {
  const t = cpuTimes(pid, readFile);
  return t.user + t.system;
}

/** User and kernel CPU seconds of a process (all threads), from /proc. */
export function cpuTimes(pid: number, readFile: (p: string) => string): { user: number; system: number } {
  const stat = readFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}
