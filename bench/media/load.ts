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

function bindAt(port: number): Promise<dgram.Socket | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => {
      s.close();
      resolve(undefined);
    });
    s.bind(port, '127.0.0.1', () => resolve(s));
  });
}

/** Ports the load's sockets come from: above every media server range the benchmarks use. */
export const LOAD_PORTS: [number, number] = [50000, 59998];

/**
 * An RTP socket on an even port with its RTCP port (the odd one above) bound too, as a phone has:
 * the servers send RTCP to port+1, and with an OS-chosen port that could be anyone's socket, even
 * one of the server's own RTP ports (which then latches to its own RTCP and drops the call's audio).
 */
export async function bindRtpPair(extra: dgram.Socket[]): Promise<dgram.Socket> {
  for (let tries = 0; tries < 200; tries++) {
    const port = LOAD_PORTS[0] + 2 * Math.floor(Math.random() * ((LOAD_PORTS[1] - LOAD_PORTS[0]) / 2));
    const rtp = await bindAt(port);
    if (!rtp) continue;
    const rtcp = await bindAt(port + 1);
    if (!rtcp) {
      rtp.close();
      continue;
    }
    rtcp.on('message', () => undefined);
    extra.push(rtcp);
    return rtp;
  }
  throw new Error('load: no free even/odd port pair');
}

export async function createLoad(count: number): Promise<Load> {
  const tx: dgram.Socket[] = [];
  const rx: dgram.Socket[] = [];
  let received = 0;
  let sent = 0;
  const streams: Stream[] = [];
  const rtcp: dgram.Socket[] = [];
  for (let i = 0; i < count; i++) {
    const t = await bindRtpPair(rtcp);
    const r = await bindRtpPair(rtcp);
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
        // After the last send, wait until nothing more arrives for 200 ms (at most 2 s): the receivers
        // share this process with the senders and fall behind under load, and a packet still on its
        // way is not a lost one.
        const drain = (seen = -1, since = performance.now()): void => {
          const now = performance.now();
          if (received !== seen) since = now;
          if (now - since >= 200 || now - start > seconds * 1000 + 2000) resolve();
          else setTimeout(() => drain(received, since), 50);
        };
        const step = (): void => {
          const due = Math.min(total, Math.floor((performance.now() - start) / 20) + 1);
          for (; tick < due; tick++) {
            streams.forEach((s, i) => {
              if (!s.target) return;
              tx[i]!.send(packet(tick, 1000 + i), s.target.port, s.target.address);
              sent++;
            });
          }
          if (tick >= total) drain();
          else setTimeout(step, 20 - ((performance.now() - start) % 20));
        };
        step();
      });
    },
    close() {
      for (const s of [...tx, ...rx, ...rtcp]) s.close();
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
