// Building and sending requests inside a dialog (RFC 3261 §12.2.1), for apps and for the engine's
// own BYEs (ACK timeout, cancel race).
import { SipRequest } from '../parser/message.ts';
import { parseUri, parseNameAddr, getParam } from '../parser/index.ts';
import type { Dialog } from '../dialog/dialog.ts';
import { IGNORE_RESPONSES } from '../transaction/transaction.ts';
import { destination, type Destination, type Listener } from '../transport/transport-layer.ts';
import type { Protocol } from '../transport/transport.ts';
import { sipFrame } from '../drachtio/frames.ts';
import { serializeMessage } from '../parser/index.ts';
import { viaFor } from './build.ts';
import type { EngineContext } from './context.ts';
import { resolveUriTarget } from './resolve.ts';

export interface BuiltRequest {
  req: SipRequest;
  branch: string;
  listener: Listener;
  dest: Destination | undefined | Promise<Destination | undefined>;
}

/** From, To, Call-ID, route set, R-URI and Via for a request in `dialog`. CSeq is the caller's. */
export function buildInDialog(ctx: EngineContext, dialog: Dialog, method: string, seq: number, explicitUri?: string): BuiltRequest | undefined {
  const routes = [...dialog.routeSet];
  let ruri = explicitUri && explicitUri !== 'sip:placeholder' && method !== 'ACK' ? explicitUri : dialog.remoteTarget;
  // §12.2.1.1: a strict router (no ;lr) at the head of the route set gets the R-URI slot.
  const first = routes[0];
  if (first !== undefined) {
    const na = parseNameAddr(first);
    if (na.ok) {
      const u = parseUri(na.value.uri);
      if (u.ok && !getParam(u.value.params, 'lr')) {
        routes.shift();
        routes.push(`<${ruri}>`);
        ruri = na.value.uri;
      }
    }
  }
  const protocol = dialogProtocol(dialog);
  const listener = ctx.transport.listenerFor(protocol);
  if (!listener) return undefined;
  const via = viaFor(listener);
  const req = new SipRequest(method, ruri);
  req.append('Via', via.value);
  req.append('Max-Forwards', '70');
  for (const r of routes) req.append('Route', r);
  const local = dialog.localUri;
  const remote = dialog.remoteUri;
  req.append('From', local);
  req.append('To', remote);
  req.append('Call-ID', dialog.callId);
  req.append('CSeq', `${seq} ${method}`);
  return { req, branch: via.branch, listener, dest: nextHop(ctx, dialog, routes[0] ?? `<${ruri}>`, protocol) };
}

function dialogProtocol(dialog: Dialog): Protocol {
  return dialog.protocol;
}

/** Where the request goes: NAT override, else the first route / the target (§8.1.2). */
function nextHop(ctx: EngineContext, dialog: Dialog, first: string, protocol: Protocol): Destination | undefined | Promise<Destination | undefined> {
  if (dialog.natTarget) return destination(dialog.natTarget, dialog.connectionId);
  // Every request of a dialog usually goes to the same literal address: resolved once (UDP only:
  // over TCP a registration may since have opened a connection to use instead).
  const cached = dialog.hop;
  if (cached !== undefined && cached.first === first && protocol === 'udp') return destination(cached.dest, dialog.connectionId);
  const na = parseNameAddr(first);
  const uri = na.ok ? na.value.uri : first;
  const user = parseUri(uri);
  // A phone that registered over TCP is reached through its own connection (drachtio §3.1).
  if (user.ok && protocol === 'tcp') {
    const alias = ctx.transport.aliasFor(`${user.value.user ?? ''}@${user.value.host}`);
    if (alias) return { protocol, address: user.value.host, port: user.value.port ?? 5060, connectionId: alias };
  }
  const r = resolveUriTarget(uri, protocol);
  if (r instanceof Promise) return r.then((d) => d && destination(d, dialog.connectionId));
  if (r !== undefined && protocol === 'udp') dialog.hop = { first, dest: r };
  return r && destination(r, dialog.connectionId);
}

/** Engine-originated BYE (ACK timeout, cancel race) plus the unsolicited BYE srf expects. */
export function engineBye(ctx: EngineContext, dialog: Dialog, reasonText: string): void {
  ctx.dialogs.delete(dialog);
  const built = buildInDialog(ctx, dialog, 'BYE', dialog.nextLocalSeq());
  if (!built) return;
  built.req.append('Reason', `SIP ;cause=200 ;text="${reasonText}"`);
  built.req.append('Content-Length', '0');
  Promise.resolve(built.dest).then((dest) => {
    if (dest) ctx.txns.sendRequest(built.req, built.branch, dest, IGNORE_RESPONSES);
  });
  ctx.count('engineByes');
  if (!dialog.app.closed) {
    dialog.app.send(
      sipFrame({
        source: 'application',
        data: serializeMessage(built.req),
        remote: { protocol: built.listener.protocol, address: built.listener.address, port: built.listener.port },
        txnId: 'unsolicited',
        dialogId: dialog.id,
      }),
    );
  }
}

