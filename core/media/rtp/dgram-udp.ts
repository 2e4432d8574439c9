// UdpTransport over Node's dgram: one 'message' callback, Buffer and address object per datagram.
// The fallback when the native addon is not built, and the reference the native one is tested against.

import dgram from 'node:dgram';
import type { Endpoint } from './latch.ts';
import type { DatagramHandler, UdpPort, UdpTransport } from './udp-transport.ts';

class DgramPort implements UdpPort {
  onDatagram: DatagramHandler | undefined;
  sendErrors = 0;
  private peer: Endpoint | undefined;
  private last: Endpoint = { address: '', port: 0 };
  private closed = false;

  constructor(
    private readonly socket: dgram.Socket,
    readonly port: number,
  ) {
    socket.on('message', (msg, from) => {
      this.last = from;
      const p = this.peer;
      this.onDatagram?.(msg, 0, msg.length, p !== undefined && from.port === p.port && from.address === p.address);
    });
    // A send to an unreachable port shows up as an async error on some platforms; it must not crash.
    socket.on('error', () => this.sendErrors++);
  }

  source(): Endpoint {
    return this.last;
  }

  setPeer(peer: Endpoint | undefined): void {
    this.peer = peer;
  }

  send(data: Uint8Array, offset: number, length: number): boolean {
    const p = this.peer;
    if (!p || this.closed) return false;
    this.transmit(data, offset, length, p);
    return true;
  }

  sendTo(data: Uint8Array, offset: number, length: number, to: Endpoint): boolean {
    if (this.closed) return false;
    this.transmit(data, offset, length, to);
    return true;
  }

  private transmit(data: Uint8Array, offset: number, length: number, to: Endpoint): void {
    // dgram sends after a lookup tick, so it gets its own copy (the contract lets callers reuse
    // buffers at once). No completion callback: it would cost a request object per packet.
    this.socket.send(Buffer.copyBytesFrom(data, offset, length), to.port, to.address);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onDatagram = undefined;
    try {
      this.socket.close();
    } catch {
      // never bound or already closed: nothing to release
    }
  }
}

export class DgramUdpTransport implements UdpTransport {
  readonly kind = 'dgram';

  bind(ip: string, port: number): Promise<UdpPort | undefined> {
    const socket = dgram.createSocket({ type: ip.includes(':') ? 'udp6' : 'udp4' });
    return new Promise((resolve) => {
      const onError = (): void => {
        try {
          socket.close();
        } catch {
          // the failed bind left nothing open
        }
        resolve(undefined);
      };
      socket.once('error', onError);
      socket.bind({ port, address: ip, exclusive: true }, () => {
        socket.off('error', onError);
        resolve(new DgramPort(socket, socket.address().port));
      });
    });
  }

  close(): void {
    // Each port closes its own socket.
  }
}
