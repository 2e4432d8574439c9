// A minimal stateless, record-routing SIP proxy over UDP on loopback, for tests only.
//
// It sits between one caller and one fixed target: requests from the caller go to the target
// and requests from the target go back to the caller (the last non-target address it heard
// from). It pushes its own Via on requests and pops it from responses, adds
// `Record-Route: <sip:HOST:PORT;lr>` to dialog-creating INVITEs, and removes its own entry from
// the top of a Route header. That is enough to prove that a peer builds its route set from
// Record-Route and sends in-dialog requests with the right Route and Request-URI.

import { createSocket, type RemoteInfo } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { isLoopbackAddress } from './ports.ts';

export interface RelayTarget {
  host: string;
  port: number;
}

export interface SipRelay {
  readonly host: string;
  readonly port: number;
  /** The Record-Route value it inserts, e.g. `<sip:127.0.0.1:20123;lr>`. */
  readonly recordRoute: string;
  /** One line per forwarded message: `caller->target INVITE sip:...` / `target->caller SIP/2.0 200 OK`. */
  readonly log: readonly string[];
  close(): Promise<void>;
}

interface Split {
  lines: string[];
  body: string;
}

function split(text: string): Split {
  const idx = text.indexOf('\r\n\r\n');
  const head = idx < 0 ? text : text.slice(0, idx);
  const body = idx < 0 ? '' : text.slice(idx + 4);
  return { lines: head.split('\r\n'), body };
}

function join(s: Split): string {
  return `${s.lines.join('\r\n')}\r\n\r\n${s.body}`;
}

function headerIndex(lines: readonly string[], names: readonly string[]): number {
  return lines.findIndex((l, i) => {
    if (i === 0) return false;
    const colon = l.indexOf(':');
    return colon > 0 && names.includes(l.slice(0, colon).trim().toLowerCase());
  });
}

function headerValue(lines: readonly string[], names: readonly string[]): string | undefined {
  const i = headerIndex(lines, names);
  const line = i < 0 ? undefined : lines[i];
  return line === undefined ? undefined : line.slice(line.indexOf(':') + 1).trim();
}

/** Start the relay on `host` (default 127.0.0.1), port chosen by the OS unless given. */
export function startRecordRouteRelay(target: RelayTarget, opts: { host?: string; port?: number } = {}): Promise<SipRelay> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackAddress(host) || !isLoopbackAddress(target.host)) {
    return Promise.reject(new Error('the relay only works on loopback'));
  }
  const sock = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
  const log: string[] = [];
  let caller: RemoteInfo | undefined;
  let port = 0;

  const forward = (text: string, to: { address: string; port: number }, from: string): void => {
    log.push(`${from} ${text.slice(0, text.indexOf('\r\n'))}`);
    sock.send(Buffer.from(text, 'latin1'), to.port, to.address);
  };

  sock.on('message', (buf, rinfo) => {
    const fromTarget = rinfo.address === target.host && rinfo.port === target.port;
    if (!fromTarget) caller = rinfo;
    const dest = fromTarget ? caller : { address: target.host, port: target.port };
    if (dest === undefined) return;
    const dir = fromTarget ? 'target->caller' : 'caller->target';
    const msg = split(buf.toString('latin1'));
    const start = msg.lines[0] ?? '';
    const me = isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;

    if (start.startsWith('SIP/2.0 ')) {
      // Response: pop our Via (the first value of the first Via header).
      const vi = headerIndex(msg.lines, ['via', 'v']);
      const line = vi < 0 ? undefined : msg.lines[vi];
      if (line === undefined || !line.includes(me)) return; // not ours: drop, like a proxy would
      const comma = line.indexOf(',');
      if (comma < 0) msg.lines.splice(vi, 1);
      else msg.lines[vi] = `Via: ${line.slice(comma + 1).trim()}`;
      forward(join(msg), dest, dir);
      return;
    }

    // Request: drop our own entry from the top of Route.
    const ri = headerIndex(msg.lines, ['route']);
    const route = ri < 0 ? undefined : msg.lines[ri];
    if (route !== undefined) {
      const value = route.slice(route.indexOf(':') + 1).trim();
      const first = value.split(',')[0] ?? '';
      if (first.includes(me)) {
        const rest = value.slice(first.length + 1).trim();
        if (rest === '') msg.lines.splice(ri, 1);
        else msg.lines[ri] = `Route: ${rest}`;
      }
    }
    // Dialog-creating INVITE: record-route.
    const method = start.split(' ')[0] ?? '';
    const to = headerValue(msg.lines, ['to', 't']) ?? '';
    if (method === 'INVITE' && !/;\s*tag=/i.test(to)) msg.lines.splice(1, 0, `Record-Route: <sip:${me};lr>`);
    // Push our Via; the branch derives from the incoming one so CANCEL/ACK match their INVITE.
    const topVia = headerValue(msg.lines, ['via', 'v']) ?? '';
    const branch = /;\s*branch=([^;,\s]+)/i.exec(topVia)?.[1] ?? String(log.length);
    msg.lines.splice(1, 0, `Via: SIP/2.0/UDP ${me};branch=z9hG4bK-rr-${branch.replace(/^z9hG4bK-?/, '')}`);
    forward(join(msg), dest, dir);
  });

  return new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind({ address: host, port: opts.port ?? 0 }, () => {
      sock.off('error', reject);
      port = sock.address().port;
      resolve({
        host,
        port,
        recordRoute: `<sip:${isIPv6(host) ? `[${host}]` : host}:${port};lr>`,
        log,
        close: () => new Promise<void>((r) => sock.close(() => r())),
      });
    });
  });
}
