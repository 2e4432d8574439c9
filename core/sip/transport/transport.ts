// Contract between the transport layer and the layers above it.

export type Protocol = 'udp' | 'tcp';

export interface Endpoint {
  protocol: Protocol;
  address: string;
  port: number;
}

/** One datagram or one framed stream message, with where it came from. */
export interface Inbound {
  data: Buffer;
  source: Endpoint;
  /** The listener that received it (advertised in Via/Contact/Record-Route). */
  local: { address: string; port: number };
  /** Set for stream transports: the connection to answer on. */
  connectionId?: string;
  /** Over the size limit: answer 513 (RFC 3261 §21.5.14) if possible, never process. */
  oversize?: boolean;
}

export interface TransportDelegate {
  onMessage(msg: Inbound): void;
  /** A message that broke framing or limits; the transport already answered or closed. */
  onRejected?(reason: string, source: Endpoint): void;
}

export interface SendResult {
  ok: boolean;
  error?: string;
  local?: { address: string; port: number };
  connectionId?: string;
}

export const endpointKey = (e: { address: string; port: number }): string => `${e.address}:${e.port}`;

export const isIPv6 = (host: string): boolean => host.includes(':');

/** `[::1]` → `::1`; leaves names and v4 alone. */
export const stripBrackets = (host: string): string =>
  host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;

/** `::1` → `[::1]` for use in URIs and Via. */
export const hostForUri = (host: string): string => (isIPv6(host) && !host.startsWith('[') ? `[${host}]` : host);

const CRLF = Buffer.from('\r\n');

/**
 * One received UDP datagram to the engine, whichever socket layer read it. CRLF keep-alives
 * (RFC 5626 §3.5.1 style) carry no message: a double CRLF is answered with one (`reply`).
 * Oversized datagrams still go up, flagged: the engine answers 513 when it can read enough to reply.
 */
export function deliverDatagram(
  data: Buffer,
  source: Endpoint,
  local: Inbound['local'],
  maxBytes: number,
  delegate: TransportDelegate,
  reply: (bytes: Buffer) => void,
): void {
  if (data.length <= 4 && data.every((b) => b === 13 || b === 10)) {
    if (data.length === 4) reply(CRLF);
    return;
  }
  const msg: Inbound = { data, source, local };
  if (data.length > maxBytes) msg.oversize = true;
  delegate.onMessage(msg);
}

