// CSeq (RFC 3261 §8.1.1.5, §20.16): `1*DIGIT LWS Method`.

import { type Result, fail, ok } from './message.ts';
import { TOKEN, parseBoundedInt, scan, skipWs, trimWs } from './lex.ts';

export interface CSeq {
  seq: number;
  method: string;
}

/** §8.1.1.5: the sequence number MUST be expressible as a 32-bit unsigned integer and be < 2**31. */
const MAX_SEQ = 2 ** 31 - 1;

export function parseCSeq(input: string): Result<CSeq> {
  const s = trimWs(input);
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  if (i === 0) return fail('Malformed CSeq header');
  const m = skipWs(s, i);
  if (m === i) return fail('Malformed CSeq header');
  const end = scan(s, m, TOKEN);
  if (end === m || end !== s.length) return fail('Malformed CSeq method');
  const seq = parseBoundedInt(s, 0, i, MAX_SEQ);
  if (seq < 0) return fail('CSeq number too large');
  return ok({ seq, method: s.slice(m) });
}
