// The engine's view of the network: every listener, listener choice for sends, and the cache of
// connections that registered clients opened to us (drachtio §3.1), so a phone behind NAT that
// registered over TCP is reached through its own connection.
import { networkInterfaces } from 'node:os';
import { TcpTransport } from './tcp-transport.ts';
import { UdpTransport } from './udp-transport.ts';
import { NativeUdpTransport, nativeUnsupported, type UdpListener } from './native-udp-transport.ts';
import { hostForUri, type Endpoint, type Protocol, type TransportDelegate } from './transport.ts';

const isWildcard = (a: string): boolean => a === '0.0.0.0' || a === '::';

let localCache: { at: number; set: Set<string> } | undefined;
/** Addresses of this host's interfaces, refreshed every few seconds (a wildcard listener owns them all). */
function localAddresses(): Set<string> {
  if (localCache && Date.now() - localCache.at < 5000) return localCache.set;
  const set = new Set<string>();
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) set.add(hostForUri(a.address).toLowerCase());
  localCache = { at: Date.now(), set };
  return set;
}

export interface ListenSpec {
  address: string;
  port: number;
  protocols: Protocol[];
  /** Advertised host (external IP) for Via/Contact/Record-Route; defaults to the bound address. */
  externalAddress?: string;
}

export interface TransportConfig {
  listen: ListenSpec[];
  maxUdpBytes: number;
  maxTcpBytes: number;
  tcpIdleTimeoutMs: number;
  /** UDP socket layer (EngineConfig.udpIo); 'native' falls back to dgram when the addon is missing. */
  udpIo?: 'native' | 'dgram';
  /** Where the one fallback warning goes; stderr by default. */
  warn?: (msg: string) => void;
}

export interface Listener {
  protocol: Protocol;
  address: string;
  port: number;
  /** host[:port] we advertise. */
  advertised: string;
  advertisedHost: string;
}

export interface Destination extends Endpoint {
  connectionId?: string;
}

/**
 * A Destination built as a literal, not by spreading: V8 gives every spread copy of these its own
 * hidden class, and thousands of them live as long as their transactions.
 */
export function destination(e: Endpoint, connectionId?: string): Destination {
  return { protocol: e.protocol, address: e.address, port: e.port, connectionId };
}

export type SendErrorHandler = (error: string) => void;

export class TransportLayer {
  private readonly udp: UdpListener[] = [];
  private nativeWarned = false;
  private readonly tcp: TcpTransport[] = [];
  private listenerList: Listener[] = [];
  /** `user@host` of a registered Contact → connection id, with expiry. */
  private readonly aliases = new Map<string, { connectionId: string; expires: number }>();

  constructor(
    private readonly config: TransportConfig,
    private readonly delegate: TransportDelegate,
  ) {}

  async start(): Promise<void> {
    for (const spec of this.config.listen) {
      let port = spec.port;
      // Bind TCP first when the port is 0 so UDP can share the kernel-chosen number.
      if (spec.protocols.includes('tcp')) {
        const t = new TcpTransport(spec.address, port, this.delegate, {
          maxMessageBytes: this.config.maxTcpBytes,
          idleTimeoutMs: this.config.tcpIdleTimeoutMs,
        });
        await t.listen();
        port = t.port;
        this.tcp.push(t);
        this.addListener('tcp', spec, t.port);
      }
      if (spec.protocols.includes('udp')) {
        const u = this.createUdp(spec.address, port);
        await u.listen();
        this.udp.push(u);
        this.addListener('udp', spec, u.port);
      }
    }
    // Keep udp first: drachtio lists and defaults to the first listener (udp) for sends.
    this.listenerList.sort((a, b) => (a.protocol === b.protocol ? 0 : a.protocol === 'udp' ? -1 : 1));
  }

  /** The native transport when configured and usable, else dgram (warning once per layer). */
  private createUdp(address: string, port: number): UdpListener {
    if (this.config.udpIo === 'native') {
      const why = nativeUnsupported(address);
      if (why === undefined) {
        try {
          return new NativeUdpTransport(address, port, this.delegate, this.config.maxUdpBytes);
        } catch (err) {
          this.warnOnce(`udpIo 'native' unavailable, using dgram: ${(err as Error).message}`);
        }
      } else {
        this.warnOnce(`udpIo 'native' cannot serve ${address} (${why}), using dgram for it`);
      }
    }
    return new UdpTransport(address, port, this.delegate, this.config.maxUdpBytes);
  }

  private warnOnce(msg: string): void {
    if (this.nativeWarned) return;
    this.nativeWarned = true;
    (this.config.warn ?? ((m: string) => process.stderr.write(`${new Date().toISOString()} WARN [sip] ${m}\n`)))(msg);
  }

  private addListener(protocol: Protocol, spec: ListenSpec, port: number): void {
    const host = hostForUri(spec.externalAddress ?? spec.address);
    this.listenerList.push({ protocol, address: spec.address, port, advertisedHost: host, advertised: `${host}:${port}` });
  }

  get listeners(): readonly Listener[] {
    return this.listenerList;
  }

  listenerFor(protocol: Protocol, localAddress?: string): Listener | undefined {
    return (
      this.listenerList.find((l) => l.protocol === protocol && (!localAddress || l.address === localAddress)) ??
      this.listenerList.find((l) => l.protocol === protocol)
    );
  }

  /** True when host:port names one of our listeners (for Route/R-URI "is this us"). */
  isLocal(host: string, port: number | undefined, protocol?: Protocol): boolean {
    const h = host.toLowerCase();
    return this.listenerList.some(
      (l) =>
        (l.advertisedHost.toLowerCase() === h || hostForUri(l.address) === h || (isWildcard(l.address) && localAddresses().has(h))) &&
        (port === undefined ? l.port === 5060 : l.port === port) &&
        (!protocol || l.protocol === protocol),
    );
  }

  get connectionCount(): number {
    return this.tcp.reduce((n, t) => n + t.connectionCount, 0);
  }

  send(data: Buffer, dest: Destination, onError?: SendErrorHandler): void {
    if (dest.protocol === 'udp') {
      const u = this.pickUdp(dest.address);
      if (!u) return onError?.('requested protocol/transport not available');
      u.send(data, dest.address, dest.port);
      return;
    }
    const t = this.tcp.find((x) => dest.connectionId && x.hasConnection(dest.connectionId)) ?? this.tcp[0];
    if (!t) return onError?.('requested protocol/transport not available');
    t.send(data, dest, dest.connectionId).catch((err: Error) => onError?.(err.message));
  }

  private pickUdp(address: string): UdpListener | undefined {
    const v6 = address.includes(':');
    return this.udp.find((u) => u.address.includes(':') === v6) ?? this.udp[0];
  }

  /** Remember the connection a client registered over (drachtio `cacheTportForSubscription`). */
  cacheAlias(userAtHost: string, connectionId: string, ttlMs: number): void {
    if (ttlMs <= 0) this.aliases.delete(userAtHost);
    else this.aliases.set(userAtHost, { connectionId, expires: Date.now() + ttlMs });
  }

  aliasFor(userAtHost: string): string | undefined {
    const a = this.aliases.get(userAtHost);
    if (!a) return undefined;
    if (a.expires < Date.now() || !this.tcp.some((t) => t.hasConnection(a.connectionId))) {
      this.aliases.delete(userAtHost);
      return undefined;
    }
    return a.connectionId;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.udp.map((u) => u.close()), ...this.tcp.map((t) => t.close())]);
  }
}
