// Parsed views of the headers every layer reads (top Via, CSeq, From, To), cached on the message.
//
// Validation parses them once when a message arrives; transaction matching, dialog matching and
// the engine then read the cached result instead of parsing the same text again. A view is valid
// only for the exact header text it was parsed from, so a header rewritten later (stampVia, set)
// is parsed afresh. Callers must treat the returned objects as read-only.
import type { Result, SipMessage } from './message.ts';
import { type CSeq, parseCSeq } from './cseq.ts';
import { type NameAddr, parseNameAddr } from './name-addr.ts';
import { getParam } from './params.ts';
import { type Via, parseVia, parseViaList } from './via.ts';
import { splitList } from './list.ts';

export interface View<T> {
  text: string;
  value: T;
}

export interface MessageViews {
  via?: View<Result<Via>>;
  cseq?: View<Result<CSeq>>;
  from?: View<Result<NameAddr>>;
  to?: View<Result<NameAddr>>;
}

function first(msg: SipMessage, name: string): string | undefined {
  for (const h of msg.headers) if (h.name === name) return h.value;
  return undefined;
}

function viewOf<T>(msg: SipMessage, slot: keyof MessageViews, name: string, parse: (s: string) => T): T | undefined {
  const text = first(msg, name);
  if (text === undefined) return undefined;
  const views = (msg.views ??= {});
  const hit = views[slot] as View<T> | undefined;
  if (hit !== undefined && hit.text === text) return hit.value;
  const value = parse(text);
  (views[slot] as View<T>) = { text, value };
  return value;
}

const parseTopVia = (line: string): Result<Via> => parseVia(splitList(line)[0] ?? line.trim());

/** The first element of the first Via line (undefined when there is no Via). */
export function topVia(msg: SipMessage): Result<Via> | undefined {
  return viewOf(msg, 'via', 'via', parseTopVia);
}

export function cseqOf(msg: SipMessage): Result<CSeq> | undefined {
  return viewOf(msg, 'cseq', 'cseq', parseCSeq);
}

export function fromAddr(msg: SipMessage): Result<NameAddr> | undefined {
  return viewOf(msg, 'from', 'from', parseNameAddr);
}

export function toAddr(msg: SipMessage): Result<NameAddr> | undefined {
  return viewOf(msg, 'to', 'to', parseNameAddr);
}

function tag(r: Result<NameAddr> | undefined): string | undefined {
  if (r === undefined || !r.ok) return undefined;
  const t = getParam(r.value.params, 'tag');
  return typeof t === 'string' ? t : undefined;
}

/** `tag` of the From header, as tagOf(msg.get('from')) gives it. */
export const fromTag = (msg: SipMessage): string | undefined => tag(fromAddr(msg));
/** `tag` of the To header, as tagOf(msg.get('to')) gives it. */
export const toTag = (msg: SipMessage): string | undefined => tag(toAddr(msg));

/** Every Via line parsed (validation): the first error, if any; seeds the top-Via view. */
export function checkAllVias(msg: SipMessage, lines: readonly string[]): string | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const r = parseViaList(line);
    if (!r.ok) return r.error;
    if (i === 0 && r.value.length > 0) (msg.views ??= {}).via = { text: line, value: { ok: true, value: r.value[0]! } };
  }
  return undefined;
}
