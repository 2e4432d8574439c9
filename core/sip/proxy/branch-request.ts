// The request a proxy branch sends (RFC 3261 §16.6).
import type { SipRequest } from '../parser/message.ts';
import { parseUri, getParam } from '../parser/index.ts';
import type { Destination } from '../transport/transport-layer.ts';
import type { EngineContext, IncomingRequest } from '../engine/context.ts';
import { viaFor } from '../engine/build.ts';
import { applyAppHeaders } from '../engine/app-headers.ts';
import { resolveUriTarget, uriProtocol } from '../engine/resolve.ts';
import { routeIsUs, popTopRoute } from './stateless-forward.ts';
import { firstOfList } from '../transaction/ack.ts';
import type { ProxyOptions } from './proxy-core.ts';

export interface BranchRequest {
  request: SipRequest;
  branch: string;
  dest: Destination | undefined | Promise<Destination | undefined>;
}

export function prepareBranchRequest(ctx: EngineContext, inc: IncomingRequest, target: string, opts: ProxyOptions): BranchRequest | undefined {
  const tu = parseUri(target);
  if (!tu.ok) return undefined;
  const req = inc.req.clone();
  // Step 1–2: the R-URI becomes the target only when it names us (a registrar/location lookup);
  // otherwise the target is just the next hop.
  const ru = parseUri(req.uri);
  const rUriIsUs = ru.ok && ctx.transport.isLocal(ru.value.host, ru.value.port);
  if (rUriIsUs) req.uri = target;
  // Step 3: Max-Forwards.
  req.set('Max-Forwards', String(Number(req.get('max-forwards') ?? '70') - 1));
  // §16.4: a preloaded Route naming us is consumed.
  const route = req.get('route');
  if (route !== undefined && routeIsUs(ctx, route)) popTopRoute(req);
  const protocol = uriProtocol(target, getParam(tu.value.params, 'transport') ? uriProtocol(target, 'udp') : inc.source.protocol);
  const listener = ctx.transport.listenerFor(protocol);
  if (!listener) return undefined;
  // Step 4: Record-Route so in-dialog requests come back through us.
  if (opts.recordRoute) {
    const transport = listener.protocol === 'udp' ? '' : `;transport=${listener.protocol}`;
    if (req.method === 'REGISTER') {
      req.prepend('Path', `<sip:${listener.advertised}${transport};lr>`);
      req.set('Require', 'path');
    } else {
      req.prepend('Record-Route', `<sip:${listener.advertised}${transport};lr>`);
    }
  }
  applyAppHeaders(req, opts.appHeaders, { ignore: new Set(['from', 'to', 'call-id', 'cseq']) });
  const via = viaFor(listener);
  req.prepend('Via', via.value);
  // Next hop: the first remaining Route, else the target.
  const nextRoute = req.get('route');
  const hop = nextRoute !== undefined ? firstOfList(nextRoute).replace(/^<|>.*$/g, '') : target;
  return { request: req, branch: via.branch, dest: resolveUriTarget(hop, protocol) };
}
