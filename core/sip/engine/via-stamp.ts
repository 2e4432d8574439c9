// RFC 3261 §18.2.1 + RFC 3581: note where a request really came from in its top Via.
import type { SipRequest } from '../parser/message.ts';
import { getParam, topVia } from '../parser/index.ts';
import { stripBrackets, type Endpoint } from '../transport/transport.ts';

/**
 * Adds `received=` when the sent-by host differs from the packet source, and fills an empty
 * `rport` with the source port, editing only the top Via value so the rest stays byte-exact.
 */
export function stampVia(req: SipRequest, source: Endpoint): void {
  // The common case read from the parsed top Via: sent-by is the source and no rport asked.
  const via = topVia(req);
  if (via?.ok && stripBrackets(via.value.host) === source.address && getParam(via.value.params, 'rport') === undefined) return;
  const h = req.headers.find((x) => x.name === 'via');
  if (!h) return;
  // The top Via is the first element of the first Via line.
  const comma = topViaEnd(h.value);
  const top = h.value.slice(0, comma);
  const rest = h.value.slice(comma);
  const semi = top.indexOf(';');
  const sentBy = (semi < 0 ? top : top.slice(0, semi)).trim().split(/\s+/).pop() ?? '';
  const host = sentBy.startsWith('[') ? sentBy.slice(0, sentBy.indexOf(']') + 1) : sentBy.split(':')[0] ?? '';
  let out = top;
  const hasRport = /;\s*rport(?=\s*(;|$))/i.test(out);
  if (hasRport) out = out.replace(/;\s*rport(?=\s*(;|$))/i, `;rport=${source.port}`);
  const bare = host.replace(/^\[|\]$/g, '');
  if ((bare !== source.address || hasRport) && !/;\s*received=/i.test(out)) out += `;received=${source.address}`;
  h.value = out + rest;
}

function topViaEnd(v: string): number {
  let quoted = false;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) return i;
  }
  return v.length;
}
