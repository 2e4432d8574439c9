// Hands out RTP/RTCP socket pairs from the configured range: RTP on an even port, RTCP on the next
// odd one (RFC 3550 §11). It walks the range round-robin so a just-freed port is not reused at
// once (late packets of the old call would land in the new one), and skips ports that are taken.

import type { UdpPort, UdpTransport } from './udp-transport.ts';

export interface SocketPair {
  rtp: UdpPort;
  rtcp: UdpPort;
  port: number;
}

export class PortAllocator {
  private cursor: number;
  private readonly inUse = new Set<number>();

  constructor(
    private readonly min: number,
    private readonly max: number,
    private readonly ip: string,
    private readonly transport: UdpTransport,
  ) {
    this.cursor = min % 2 === 0 ? min : min + 1;
  }

  get allocated(): number {
    return this.inUse.size;
  }

  async allocate(): Promise<SocketPair> {
    const pairs = Math.floor((this.max - this.min + 1) / 2);
    for (let tries = 0; tries < pairs; tries++) {
      const port = this.cursor;
      this.cursor = port + 2 > this.max - 1 ? this.min + (this.min % 2) : port + 2;
      if (this.inUse.has(port)) continue;
      const rtp = await this.transport.bind(this.ip, port);
      const rtcp = rtp && (await this.transport.bind(this.ip, port + 1));
      if (rtp && rtcp) {
        this.inUse.add(port);
        return { rtp, rtcp, port };
      }
      rtp?.close();
    }
    throw new Error(`no free RTP port pair in ${this.min}-${this.max}`);
  }

  release(pair: SocketPair): void {
    pair.rtp.close();
    pair.rtcp.close();
    this.inUse.delete(pair.port);
  }
}
