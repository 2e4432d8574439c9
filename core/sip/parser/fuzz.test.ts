// Mutation fuzzing of the parser, the framer and every header parser, in the spirit of pion's
// sdp/fuzz_test.go. Seeded, so a failure names the seed and index that reproduce it:
//   FUZZ_SEED=<seed> FUZZ_ITERATIONS=<n> npx vitest run core/sip/parser/fuzz.test.ts

import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type SipMessage } from './message.ts';
import { parseMessage } from './parse.ts';
import { serializeMessage, startLine } from './serialize.ts';
import { StreamFramer } from './stream-framer.ts';
import {
  formatNameAddr, formatUri, formatVia, parseContacts, parseCSeq, parseNameAddr, parseUri, parseVia,
  parseViaList, splitList, tagOf, viaBranch, expiresParam, qParam,
} from './headers.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed5) >>> 0;
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 100_000);
const BATCHES = 5;

const dir = new URL('./testdata/rfc4475/', import.meta.url);
const CORPUS: Buffer[] = [
  ...readdirSync(dir).filter((f) => f.endsWith('.sip')).sort().map((f) => readFileSync(new URL(f, dir))),
  Buffer.from('REGISTER sip:example.com SIP/2.0\nv: SIP/2.0/TCP [2001:db8::10]:5070;branch=z9hG4bKx;rport\nf: "Zoë" <sip:z@example.com>;tag=1\nt: sip:z@example.com\ni: r1@h\nCSeq: 1 REGISTER\nm: <sip:z@[2001:db8::10]:5070;transport=tcp>;expires=60;q=0.5, *\nl: 0\n\n'),
  Buffer.from('SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2\r\nTo: <tel:+15551234>;tag=t\r\nFrom: <sip:a@b>;tag=f\r\nCall-ID: c\r\nCSeq: 7 INVITE\r\nRecord-Route: <sip:p1;lr>,<sip:p2;lr>\r\nContent-Length: 2\r\n\r\nhi'),
];
const INTERESTING = Buffer.from(' \t\r\n:;,"<>%\\\0\xff[]=@?/*', 'latin1');

/** mulberry32: tiny, fast and good enough to drive mutations reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function lineStarts(b: Buffer): number[] {
  const out = [0];
  for (let p = b.indexOf(10); p >= 0 && p + 1 < b.length; p = b.indexOf(10, p + 1)) out.push(p + 1);
  return out;
}

function mutate(src: Buffer, rnd: () => number): Buffer {
  const pick = (n: number) => Math.floor(rnd() * n);
  let b = Buffer.from(src);
  for (let k = 1 + pick(3); k > 0; k--) {
    const at = pick(b.length + 1);
    switch (pick(8)) {
      case 0: // bit flips
        for (let i = 1 + pick(4); i > 0 && b.length > 0; i--) {
          const p = pick(b.length);
          b[p] = (b[p] as number) ^ (1 << pick(8));
        }
        break;
      case 1: // insert interesting or random bytes
        b = Buffer.concat([b.subarray(0, at), Buffer.from(Array.from({ length: 1 + pick(3) }, () => (rnd() < 0.7 ? (INTERESTING[pick(INTERESTING.length)] as number) : pick(256)))), b.subarray(at)]);
        break;
      case 2: // delete a range
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + pick(8)))]);
        break;
      case 3: // truncate
        b = b.subarray(0, at);
        break;
      case 4: { // duplicate a header line elsewhere
        const starts = lineStarts(b);
        const s = starts[pick(starts.length)] as number;
        const e = b.indexOf(10, s);
        const line = b.subarray(s, e < 0 ? b.length : e + 1);
        const to = starts[pick(starts.length)] as number;
        b = Buffer.concat([b.subarray(0, to), line, b.subarray(to)]);
        break;
      }
      case 5: { // splice with another corpus message
        const other = CORPUS[pick(CORPUS.length)] as Buffer;
        b = Buffer.concat([b.subarray(0, at), other.subarray(pick(other.length + 1))]);
        break;
      }
      case 6: { // swap two lines
        const starts = lineStarts(b);
        if (starts.length < 3) break;
        const i = 1 + pick(starts.length - 2);
        const s0 = starts[i] as number;
        const s1 = starts[i + 1] as number;
        const s2 = starts[i + 2] ?? b.length;
        b = Buffer.concat([b.subarray(0, s0), b.subarray(s1, s2), b.subarray(s0, s1), b.subarray(s2)]);
        break;
      }
      default: { // replace a digit run with an extreme number
        let d = at;
        while (d < b.length && !((b[d] as number) >= 48 && (b[d] as number) <= 57)) d++;
        if (d >= b.length) break;
        let e = d;
        while (e < b.length && (b[e] as number) >= 48 && (b[e] as number) <= 57) e++;
        const big = ['0', '4294967296', '99999999999999999999999', '-1', '2147483648', '65536'][pick(6)] as string;
        b = Buffer.concat([b.subarray(0, d), Buffer.from(big), b.subarray(e)]);
      }
    }
  }
  return b;
}

/** Plain assertions: vitest's expect costs more than the parser itself in this loop. */
function assert(cond: boolean, what: string): asserts cond {
  if (!cond) throw new Error(what);
}

/** Every typed view of every header; formatted values must parse back to the same value. */
function exerciseHeaders(m: SipMessage): void {
  // Parses s, checks that the formatted value parses back equal, and returns the value.
  const roundTrip = <T>(parse: (s: string) => { ok: boolean; value?: T }, format: (v: T) => string, s: string): T | undefined => {
    const a = parse(s);
    if (!a.ok) return undefined;
    const text = format(a.value as T);
    const b = parse(text);
    assert(b.ok && JSON.stringify(b.value) === JSON.stringify(a.value), `${JSON.stringify(s)} → ${JSON.stringify(text)} does not parse back equal`);
    return a.value;
  };
  if (m.kind === 'request') roundTrip(parseUri, formatUri, m.uri);
  for (const h of m.headers) {
    switch (h.name) {
      case 'via':
        parseViaList(h.value);
        for (const item of splitList(h.value)) {
          const v = roundTrip(parseVia, formatVia, item);
          if (v) viaBranch(v);
        }
        break;
      case 'from': case 'to':
        tagOf(h.value);
        roundTrip(parseNameAddr, formatNameAddr, h.value);
        break;
      case 'contact': case 'route': case 'record-route':
        parseContacts(h.value);
        for (const item of splitList(h.value)) {
          const n = roundTrip(parseNameAddr, formatNameAddr, item);
          if (!n) continue;
          expiresParam(n);
          qParam(n);
          roundTrip(parseUri, formatUri, n.uri);
        }
        break;
      case 'cseq':
        parseCSeq(h.value);
        break;
    }
  }
}

function sameMessage(a: SipMessage, b: SipMessage): void {
  assert(startLine(b) === startLine(a), `start line ${startLine(a)} → ${startLine(b)}`);
  const noLength = (m: SipMessage) => m.headers.filter((h) => h.name !== 'content-length');
  assert(JSON.stringify(noLength(b)) === JSON.stringify(noLength(a)), 'headers differ after serialize → parse');
  assert(b.get('content-length') === String(a.body.length), 'Content-Length is not the body length');
  assert(b.body.equals(a.body), 'body differs after serialize → parse');
}

const internal = (r: { ok: boolean; error?: string }) => !r.ok && (r.error ?? '').startsWith('Internal parser error');

function check(input: Buffer, rnd: () => number): boolean {
  const r = parseMessage(input);
  assert(!internal(r), `exception in parseMessage: ${r.ok ? '' : r.error}`);
  if (!r.ok) {
    if (r.request) exerciseHeaders(r.request);
  } else {
    exerciseHeaders(r.value);
    const again = parseMessage(serializeMessage(r.value));
    assert(again.ok, `serialized message does not parse: ${again.ok ? '' : again.error}`);
    sameMessage(r.value, again.value);
  }
  assert(!internal(parseMessage(input, { stream: true })), 'exception in parseMessage (stream)');
  const framer = new StreamFramer({ maxMessageBytes: 4096 });
  let dead = false;
  for (let off = 0; off < input.length; ) {
    const n = 1 + Math.floor(rnd() * 300);
    for (const ev of framer.push(input.subarray(off, off + n))) {
      assert(!dead, 'framer event after error');
      if (ev.type === 'error') dead = true;
      if (ev.type === 'message') {
        assert(!internal(parseMessage(ev.data, { stream: true })), 'exception in parseMessage (framed)');
      }
    }
    off += n;
  }
  return r.ok;
}

describe(`fuzz (seed ${SEED}, ${ITERATIONS} mutations)`, () => {
  for (let batch = 0; batch < BATCHES; batch++) {
    it(`batch ${batch}: no exception escapes, valid messages round-trip`, { timeout: 120_000 }, () => {
      const per = Math.ceil(ITERATIONS / BATCHES);
      let accepted = 0;
      for (let i = batch * per; i < Math.min(ITERATIONS, (batch + 1) * per); i++) {
        const rnd = prng(SEED ^ Math.imul(i + 1, 0x9e3779b1));
        const input = mutate(CORPUS[Math.floor(rnd() * CORPUS.length)] as Buffer, rnd);
        try {
          if (check(input, rnd)) accepted++;
        } catch (e) {
          const why = e instanceof Error ? e.message : String(e);
          throw new Error(`fuzz failure at seed=${SEED} index=${i}: ${why}\ninput(base64)=${input.toString('base64')}`);
        }
      }
      // Mutations must leave a fair share parseable, or the round-trip check tests nothing.
      expect(accepted).toBeGreaterThan(per / 20);
    });
  }
});
