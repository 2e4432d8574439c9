// UDP listener: one socket per configured address, datagram in, datagram out.
import dgram from 'node:dgram';
import { lookup as dnsLookup, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import { deliverDatagram, isIPv6, type TransportDelegate } from './transport.ts';

export class UdpTransport {
  private socket: dgram.Socket;
  readonly address: string;
  port: number;

  constructor(
    address: string,
    port: number,
    private readonly delegate: TransportDelegate,
    private readonly maxBytes: number,
  ) {
    this.address = address;
    this.port = port;
    this.socket = dgram.createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4', reuseAddr: false, lookup: literalLookup });
    this.socket.on('message', (data, rinfo) => this.onDatagram(data, rinfo));
    this.socket.on('error', () => {
      /* ICMP errors on send surface here; the transaction layer times out instead */
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(this.port, this.address, () => {
        this.socket.off('error', reject);
        this.port = this.socket.address().port;
        try {
          this.socket.setRecvBufferSize(4 * 1024 * 1024);
          this.socket.setSendBufferSize(4 * 1024 * 1024);
        } catch {
          /* kernel limits may refuse; defaults still work */
        }
        resolve();
      });
    });
  }

  private onDatagram(data: Buffer, rinfo: dgram.RemoteInfo): void {
    const source = { protocol: 'udp' as const, address: rinfo.address, port: rinfo.port };
    const local = { address: this.address, port: this.port };
    deliverDatagram(data, source, local, this.maxBytes, this.delegate, (b) => this.send(b, rinfo.address, rinfo.port));
  }

  private closed = false;

  send(data: Buffer, address: string, port: number): void {
    // A late timer (a retransmission) after shutdown must not throw ERR_SOCKET_DGRAM_NOT_RUNNING.
    if (this.closed) return;
    this.socket.send(data, port, address);
  }

  close(): Promise<void> {
    this.closed = true;
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/**
 * dgram resolves every destination before sending, and dns.lookup answers even an IP literal on
 * the next tick. Destinations here are literals (the engine resolves names itself), so answer
 * them at once: one deferred callback less per datagram sent.
 */
function literalLookup(
  address: string,
  family: LookupOneOptions | number,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  const v = isIP(address);
  if (v !== 0) return callback(null, address, v);
  dnsLookup(address, typeof family === 'number' ? { family } : family, callback);
}
