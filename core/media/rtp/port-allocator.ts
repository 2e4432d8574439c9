// Hands out RTP/RTCP socket pairs from the configured range: RTP on an even port, RTCP on the next
// odd one (RFC 3550 §11). It walks the range round-robin so a just-freed port is not reused at
// once (late packets of the old call would land in the new one), and skips ports that are taken.

import dgram from 'node:dgram';

export interface SocketPair {
  rtp: dgram.Socket;
  rtcp: dgram.Socket;
  port: number;
}

function bindUdp(socket: dgram.Socket, port: number, ip: string): Promise<boolean> {
  return new Promise((resolve) => {
    const onError = (): void => resolve(false);
    socket.once('error', onError);
    socket.bind({ port, address: ip, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(true);
    });
  });
}

export class PortAllocator {
  private cursor: number;
  private readonly inUse = new Set<number>();

  constructor(
    private readonly min: number,
    private readonly max: number,
    private readonly ip: string,
  ) {
    this.cursor = min % 2 === 0 ? min : min + 1;
  }

  get allocated(): number {
    return this.inUse.size;
  }

  async allocate(): Promise<SocketPair> {
    const type = this.ip.includes(':') ? 'udp6' : 'udp4';
    const pairs = Math.floor((this.max - this.min + 1) / 2);
    for (let tries = 0; tries < pairs; tries++) {
      const port = this.cursor;
      this.cursor = port + 2 > this.max - 1 ? this.min + (this.min % 2) : port + 2;
      if (this.inUse.has(port)) continue;
      const rtp = dgram.createSocket({ type });
      const rtcp = dgram.createSocket({ type });
      if ((await bindUdp(rtp, port, this.ip)) && (await bindUdp(rtcp, port + 1, this.ip))) {
        this.inUse.add(port);
        return { rtp, rtcp, port };
      }
      closeQuietly(rtp);
      closeQuietly(rtcp);
    }
    throw new Error(`no free RTP port pair in ${this.min}-${this.max}`);
  }

  release(pair: SocketPair): void {
    closeQuietly(pair.rtp);
    closeQuietly(pair.rtcp);
    this.inUse.delete(pair.port);
  }
}

function closeQuietly(s: dgram.Socket): void {
  try {
    s.close();
  } catch {
    // already closed or never bound: nothing to release
  }
}
