// Next-hop resolution for a SIP URI (RFC 3263, reduced: transport param, then A/AAAA lookup).
import { lookup } from 'node:dns';
import net from 'node:net';
import { parseUri, getParam } from '../parser/index.ts';
import type { Destination } from '../transport/transport-layer.ts';
import type { Protocol } from '../transport/transport.ts';

/** Protocol a URI asks for: `;transport=`, `sips:` (TLS, which we carry as TCP), else the default. */
export function uriProtocol(uri: string, fallback: Protocol): Protocol {
  const u = parseUri(uri);
  if (!u.ok) return fallback;
  const t = getParam(u.value.params, 'transport');
  if (t) return t.toLowerCase() === 'udp' ? 'udp' : 'tcp';
  if (u.value.scheme === 'sips') return 'tcp';
  return fallback;
}

/** Synchronous for IP literals (the hot path), a promise when DNS is needed. */
export function resolveUriTarget(uri: string, fallback: Protocol): Destination | undefined | Promise<Destination | undefined> {
  const stripped = uri.replace(/^<|>$/g, '');
  const u = parseUri(stripped.includes(':') ? stripped : `sip:${stripped}`);
  if (!u.ok) return undefined;
  const protocol = uriProtocol(stripped, fallback);
  const maddr = getParam(u.value.params, 'maddr');
  const host = (maddr ?? u.value.host).replace(/^\[|\]$/g, '');
  const port = u.value.port ?? (u.value.scheme === 'sips' ? 5061 : 5060);
  if (net.isIP(host)) return { protocol, address: host, port };
  return new Promise((resolve) => {
    lookup(host, (err, address) => resolve(err ? undefined : { protocol, address, port }));
  });
}
