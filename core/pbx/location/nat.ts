// Phones behind NAT register a Contact with their private address; only the address the
// REGISTER came from reaches them (RFC 3581 symmetric response routing, anchors §3.1).
import { isIP } from 'node:net';
import { parseUri, getParam } from '../../sip/parser/index.ts';
import type { Binding } from '../store/binding-store.ts';

const bare = (host: string) => host.replace(/^\[|\]$/g, '').toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');

/**
 * The contact cannot be reached by its URI: its host is not the source address (or is a name,
 * like WebRTC's `*.invalid`), or, for UDP, its port is not the source port. TCP/TLS source ports
 * are ephemeral, so only the host counts there.
 */
export function isBehindNat(b: Pick<Binding, 'contact' | 'source'>): boolean {
  return natOf(b).behindNat;
}

/** isBehindNat() and nextHopFor() together, from one parse of the contact (every lookup needs both). */
export function natOf(b: Pick<Binding, 'contact' | 'source'>): { behindNat: boolean; nextHop: string | undefined } {
  const behindNat = behind(b);
  if (!behindNat || b.source.transport !== 'udp') return { behindNat, nextHop: undefined };
  const addr = bare(b.source.address);
  return { behindNat, nextHop: `sip:${isIP(addr) === 6 ? `[${addr}]` : addr}:${b.source.port};transport=udp` };
}

function behind(b: Pick<Binding, 'contact' | 'source'>): boolean {
  const u = parseUri(b.contact);
  if (!u.ok) return true;
  const host = bare(u.value.host);
  if (!isIP(host) || host !== bare(b.source.address)) return true;
  if (b.source.transport !== 'udp') return false;
  const port = u.value.port ?? (u.value.scheme === 'sips' ? 5061 : 5060);
  return port !== b.source.port;
}

/**
 * The srf `proxy` (next hop) for requests to this contact: its source address for a UDP phone
 * behind NAT. Undefined: send by the URI; for TCP/TLS/WS phones the engine (like drachtio-server)
 * reuses the connection the phone registered over.
 */
export function nextHopFor(b: Pick<Binding, 'contact' | 'source'>): string | undefined {
  return natOf(b).nextHop;
}

/** The transport the contact asked for (`;transport=`), else the one it registered over. */
export function contactTransport(b: Pick<Binding, 'contact' | 'source'>): string {
  const u = parseUri(b.contact);
  const t = u.ok ? getParam(u.value.params, 'transport') : undefined;
  return typeof t === 'string' ? t.toLowerCase() : b.source.transport;
}
