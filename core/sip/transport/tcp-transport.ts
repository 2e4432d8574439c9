// TCP listener and connection pool: inbound connections, outbound connects, reuse both ways.
import net from 'node:net';
import { StreamFramer } from '../parser/stream-framer.ts';
import { endpointKey, type Endpoint, type TransportDelegate } from './transport.ts';

interface Connection {
  id: string;
  socket: net.Socket;
  remote: Endpoint;
  framer: StreamFramer;
  lastUsed: number;
}

export interface TcpOptions {
  maxMessageBytes: number;
  idleTimeoutMs: number;
}

let connSeq = 0;

export class TcpTransport {
  private server: net.Server;
  private readonly byId = new Map<string, Connection>();
  private readonly byRemote = new Map<string, Connection>();
  private readonly pending = new Map<string, Promise<Connection>>();
  readonly address: string;
  port: number;

  constructor(
    address: string,
    port: number,
    private readonly delegate: TransportDelegate,
    private readonly opts: TcpOptions,
  ) {
    this.address = address;
    this.port = port;
    this.server = net.createServer((s) => this.adopt(s));
  }

  get connectionCount(): number {
    return this.byId.size;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ port: this.port, host: this.address, exclusive: true }, () => {
        this.server.off('error', reject);
        const a = this.server.address();
        if (a && typeof a === 'object') this.port = a.port;
        resolve();
      });
    });
  }

  hasConnection(id: string): boolean {
    return this.byId.has(id);
  }

  connectionTo(remote: { address: string; port: number }): string | undefined {
    return this.byRemote.get(endpointKey(remote))?.id;
  }

  private adopt(socket: net.Socket): Connection {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    const remote: Endpoint = {
      protocol: 'tcp',
      address: socket.remoteAddress ?? '0.0.0.0',
      port: socket.remotePort ?? 0,
    };
    const conn: Connection = {
      id: `tcp-${++connSeq}`,
      socket,
      remote,
      framer: new StreamFramer({ maxMessageBytes: this.opts.maxMessageBytes }),
      lastUsed: Date.now(),
    };
    this.byId.set(conn.id, conn);
    this.byRemote.set(endpointKey(remote), conn);
    socket.setTimeout(this.opts.idleTimeoutMs, () => socket.destroy());
    socket.on('data', (chunk) => this.onData(conn, chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.forget(conn));
    return conn;
  }

  private forget(conn: Connection): void {
    this.byId.delete(conn.id);
    if (this.byRemote.get(endpointKey(conn.remote)) === conn) this.byRemote.delete(endpointKey(conn.remote));
  }

  private onData(conn: Connection, chunk: Buffer): void {
    conn.lastUsed = Date.now();
    for (const ev of conn.framer.push(chunk)) {
      switch (ev.type) {
        case 'message':
          this.delegate.onMessage({
            data: ev.data,
            source: conn.remote,
            local: { address: this.address, port: this.port },
            connectionId: conn.id,
          });
          break;
        case 'ping':
          // RFC 5626 §4.4.1: answer a CRLFCRLF keep-alive with a single CRLF.
          conn.socket.write('\r\n');
          break;
        case 'pong':
          break;
        case 'error':
          this.delegate.onRejected?.(ev.error, conn.remote);
          conn.socket.destroy();
          return;
      }
    }
  }

  /** Send on a given connection, or on one to `remote` (opened if needed). */
  async send(data: Buffer, remote: { address: string; port: number }, connectionId?: string): Promise<string> {
    let conn = connectionId ? this.byId.get(connectionId) : undefined;
    conn ??= this.byRemote.get(endpointKey(remote));
    conn ??= await this.connect(remote);
    conn.lastUsed = Date.now();
    conn.socket.write(data);
    return conn.id;
  }

  private connect(remote: { address: string; port: number }): Promise<Connection> {
    const key = endpointKey(remote);
    const inflight = this.pending.get(key);
    if (inflight) return inflight;
    const p = new Promise<Connection>((resolve, reject) => {
      const socket = net.connect({ host: remote.address, port: remote.port });
      const timer = setTimeout(() => socket.destroy(new Error('connect timeout')), 5000);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(this.adopt(socket));
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    }).finally(() => this.pending.delete(key));
    this.pending.set(key, p);
    return p;
  }

  close(): Promise<void> {
    for (const c of this.byId.values()) c.socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
