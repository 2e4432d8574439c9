// Stateless relay of loose-routed in-dialog requests and of responses to them (RFC 3261 §16.11),
// for dialogs that went through our proxy core with Record-Route.
import type { SipRequest, SipResponse } from '../parser/message.ts';
import { parseNameAddr, parseUri, getParam, parseVia, viaBranch } from '../parser/index.ts';
import { firstOfList } from '../transaction/ack.ts';
import type { Destination, Listener } from '../transport/transport-layer.ts';
import type { EngineContext } from '../engine/context.ts';
import { viaFor } from '../engine/build.ts';
import { resolveUriTarget, uriProtocol } from '../engine/resolve.ts';
import { createHash } from 'node:crypto';

export function routeIsUs(ctx: EngineContext, routeLine: string): boolean {
  const na = parseNameAddr(firstOfList(routeLine));
  if (!na.ok) return false;
  const u = parseUri(na.value.uri);
  return u.ok && ctx.transport.isLocal(u.value.host, u.value.port);
}

/** Pops our Route; if what remains points elsewhere, relays and returns true. */
export function forwardStatelessly(ctx: EngineContext, req: SipRequest, source: Destination, listener: Listener): boolean {
  popTopRoute(req);
  const next = req.get('route');
  const nextRoute = next !== undefined ? parseNameAddr(firstOfList(next)) : undefined;
  const uri = nextRoute?.ok ? nextRoute.value.uri : req.uri;
  const ru = parseUri(req.uri);
  if (next === undefined && ru.ok && ctx.transport.isLocal(ru.value.host, ru.value.port)) return false; // it's for us
  const mf = Number(req.get('max-forwards') ?? '70');
  if (mf <= 0) return false;
  req.set('Max-Forwards', String(mf - 1));
  const protocol = uriProtocol(uri, source.protocol);
  const out = ctx.transport.listenerFor(protocol) ?? listener;
  // §16.11: a stateless proxy's branch must be a deterministic function of the incoming request.
  const top = firstOfList(req.get('via') ?? '');
  const branch = 'z9hG4bK' + createHash('sha1').update(top + req.method).digest('hex').slice(0, 20);
  req.prepend('Via', viaFor(out, req.method === 'ACK' ? statelessAckBranch(top) : branch).value);
  const dest = resolveUriTarget(uri, protocol);
  const send = (d: Destination | undefined) => d && ctx.sendRaw(req, d);
  if (dest instanceof Promise) dest.then(send);
  else send(dest);
  ctx.count('statelessForwards');
  return true;
}

function statelessAckBranch(top: string): string {
  const v = parseVia(top);
  const b = v.ok ? viaBranch(v.value) ?? '' : '';
  return 'z9hG4bK' + createHash('sha1').update('ack' + b).digest('hex').slice(0, 20);
}

/** Removes the first Route value (which names us), keeping any others on its line. */
export function popTopRoute(req: SipRequest): void {
  const idx = req.headers.findIndex((h) => h.name === 'route');
  if (idx < 0) return;
  const h = req.headers[idx]!;
  const first = firstOfList(h.value);
  const rest = h.value.slice(h.value.indexOf(first) + first.length).replace(/^\s*,\s*/, '');
  if (rest) h.value = rest;
  else req.headers.splice(idx, 1);
}

/** A response to a request we relayed statelessly: drop our Via and send it down the next one. */
export function forwardResponse(ctx: EngineContext, res: SipResponse): boolean {
  const idx = res.headers.findIndex((h) => h.name === 'via');
  if (idx < 0) return false;
  const h = res.headers[idx]!;
  const top = firstOfList(h.value);
  const tv = parseVia(top);
  if (!tv.ok || !ctx.transport.isLocal(tv.value.host, tv.value.port)) return false;
  const rest = h.value.slice(h.value.indexOf(top) + top.length).replace(/^\s*,\s*/, '');
  if (rest) h.value = rest;
  else res.headers.splice(idx, 1);
  const nextLine = res.get('via');
  if (nextLine === undefined) return false;
  const nv = parseVia(firstOfList(nextLine));
  if (!nv.ok) return false;
  const received = getParam(nv.value.params, 'received');
  const rport = getParam(nv.value.params, 'rport');
  const protocol = nv.value.transport === 'UDP' ? 'udp' : 'tcp';
  const dest: Destination = {
    protocol,
    address: (received ?? nv.value.host).replace(/^\[|\]$/g, ''),
    port: rport ? Number(rport) : (nv.value.port ?? 5060),
  };
  ctx.sendRaw(res, dest);
  ctx.count('statelessResponseForwards');
  return true;
}
