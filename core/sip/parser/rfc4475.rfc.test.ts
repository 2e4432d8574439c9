// RFC 4475 torture messages: every one must parse, or be refused with the status the RFC
// implies. What the RFC expects of each message is written next to it in
// testdata/rfc4475/index.ts; the field checks below are the RFC's own statements.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type SipMessage, SipRequest, SipResponse } from './message.ts';
import { parseMessage } from './parse.ts';
import { serializeMessage, startLine } from './serialize.ts';
import { StreamFramer } from './stream-framer.ts';
import {
  getParam, parseContacts, parseCSeq, parseNameAddr, parseUri, parseViaList, qParam, splitList,
  unescapeUriPart, viaBranch, type NameAddr, type SipUri, type Via,
} from './headers.ts';
import { TORTURE_CASES } from './testdata/rfc4475/index.ts';

const load = (name: string): Buffer => readFileSync(new URL(`./testdata/rfc4475/${name}.sip`, import.meta.url));

function parsed(name: string): SipMessage {
  const r = parseMessage(load(name));
  if (!r.ok) throw new Error(`${name}: ${r.error}`);
  return r.value;
}
function req(name: string): SipRequest {
  const m = parsed(name);
  if (!(m instanceof SipRequest)) throw new Error(`${name} is not a request`);
  return m;
}
function res(name: string): SipResponse {
  const m = parsed(name);
  if (!(m instanceof SipResponse)) throw new Error(`${name} is not a response`);
  return m;
}
function value<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) throw new Error(r.error);
  return r.value;
}
const addr = (m: SipMessage, h: string): NameAddr => value(parseNameAddr(m.get(h) ?? ''));
const uri = (s: string): SipUri => value(parseUri(s));
const vias = (m: SipMessage): Via[] => m.getLines('via').flatMap((l) => value(parseViaList(l)));

describe('RFC 4475 corpus', () => {
  it('has all 49 messages of §3.1.1, §3.1.2, §3.2, §3.3 and §3.4', () => {
    expect(TORTURE_CASES).toHaveLength(49);
    expect(new Set(TORTURE_CASES.map((c) => c.name)).size).toBe(49);
  });

  for (const c of TORTURE_CASES) {
    it(`§${c.section} ${c.name}: ${c.title} — ${c.rfc}`, () => {
      const r = parseMessage(load(c.name));
      if (c.expect.ok) {
        expect(r.ok ? 'ok' : r.error).toBe('ok');
        return;
      }
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.status).toBe(c.expect.status);
      expect(r.error).toMatch(c.expect.error);
      expect(r.request !== undefined).toBe(c.expect.request);
    });
  }

  it('valid messages survive parse → serialize → parse', () => {
    for (const c of TORTURE_CASES.filter((x) => x.expect.ok)) {
      const a = parsed(c.name);
      const b = value(toResult(parseMessage(serializeMessage(a))));
      expect(startLine(b), c.name).toBe(startLine(a));
      const noLength = (m: SipMessage) => m.headers.filter((h) => h.name !== 'content-length');
      expect(noLength(b), c.name).toEqual(noLength(a));
      expect(b.get('content-length'), c.name).toBe(String(a.body.length));
      expect(b.body.equals(a.body), c.name).toBe(true);
    }
  });
});

function toResult(r: ReturnType<typeof parseMessage>) {
  return r.ok ? { ok: true as const, value: r.value } : { ok: false as const, error: r.error };
}

describe('§3.1.1 valid messages yield the right fields', () => {
  it('wsinv: folding, LWS around colons and parameters, compact forms, odd case', () => {
    const m = req('wsinv');
    expect(m.method).toBe('INVITE');
    expect(uri(m.uri)).toMatchObject({ user: 'vivekg', host: 'chair-dnrc.example.com', params: [['unknownparam', null]] });
    const to = addr(m, 'to');
    expect(to.displayName).toBeUndefined();
    expect(to.uri).toBe('sip:vivekg@chair-dnrc.example.com');
    expect(getParam(to.params, 'tag')).toBe('1918181833n');
    const from = addr(m, 'from');
    expect(from.displayName).toBe('J Rosenberg \\"');
    expect(getParam(from.params, 'tag')).toBe('98asjd8');
    expect(m.headers.find((h) => h.name === 'max-forwards')?.rawName).toBe('MaX-fOrWaRdS');
    expect(m.get('max-forwards')).toBe('0068');
    expect(m.get('call-id')).toBe('wsinv.ndaksdj@192.0.2.1');
    expect(value(parseCSeq(m.get('cseq') ?? ''))).toEqual({ seq: 9, method: 'INVITE' });
    expect(vias(m).map((v) => [v.protocol, v.transport, v.host, viaBranch(v)])).toEqual([
      ['SIP/2.0', 'UDP', '192.0.2.2', '390skdjuw'],
      ['SIP/2.0', 'TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['SIP/2.0', 'UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    expect(m.get('subject')).toBe('');
    expect(m.get('NewFangledHeader')).toBe('newfangled value continued newfangled value');
    expect(m.get('UnknownHeaderWithUnusualValue')).toBe(';;,,;;,;');
    const route = uri(addr(m, 'route').uri);
    expect(route.params).toEqual([['lr', null], ['unknownwith', 'value'], ['unknown-no-value', null]]);
    const contact = addr(m, 'contact');
    expect(contact.displayName).toBe('Quoted string ""');
    expect(contact.params).toEqual([['newparam', 'newvalue'], ['secondparam', null], ['q', '0.33']]);
    expect(qParam(contact)).toBe(0.33);
    expect(m.body.length).toBe(150);
  });

  it('intmeth: every token character in method, URI, branch, names; quoted NUL; UTF-8', () => {
    const m = req('intmeth');
    expect(m.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    expect(uri(m.uri)).toMatchObject({
      user: "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*",
      password: "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)",
      host: 'example.com',
    });
    expect(viaBranch(vias(m)[0] as Via)).toBe("z9hG4bK-.!%66*_+`'~");
    expect(addr(m, 'to').displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
    const from = addr(m, 'from');
    expect(from.displayName).toBe("token1~` token2'+_ token3*%!.-");
    expect(getParam(from.params, "fromParam''~+*_!.-%")).toBe('"работающий"');
    expect(getParam(from.params, 'tag')).toBe("_token~1'+`*%!-.");
    expect(m.get('call-id')).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    expect(value(parseCSeq(m.get('cseq') ?? '')).seq).toBe(139122385);
    expect(m.get("extensionHeader-!.%*+_`'~")).toBe('\ufeff大停電');
  });

  it('esc01: %HH escapes are kept as written and unescape to what they encode', () => {
    const m = req('esc01');
    expect(unescapeUriPart(uri(m.uri).user ?? '')).toBe('sips:user@example.com');
    expect(unescapeUriPart(uri(addr(m, 'to').uri).user ?? '')).toBe('user');
    expect(unescapeUriPart(uri(addr(m, 'from').uri).user ?? '')).toBe('I have spaces');
    const contact = uri(addr(m, 'contact').uri);
    expect(contact.params).toEqual([['%6C%72', null], ['n%61me', 'v%61lue%25%34%31']]);
    // Unescaping is never recursive: the value is "value%41", not "valueA".
    expect(unescapeUriPart(contact.params[1]?.[1] ?? '')).toBe('value%41');
  });

  it('escnull: %00 in user parts survives, and the two contacts stay distinct', () => {
    const m = req('escnull');
    expect(unescapeUriPart(uri(addr(m, 'to').uri).user ?? '')).toBe('null-\0-null');
    const users = m.getLines('contact').map((l) => uri(value(parseNameAddr(l)).uri).user);
    expect(users).toEqual(['%00', '%00%00']);
    expect(m.headers.find((h) => h.name === 'content-length')?.rawName).toBe('L');
  });

  it('esc02: % is not an escape in methods, display names, header names or branches', () => {
    const m = req('esc02');
    expect(m.method).toBe('RE%47IST%45R');
    expect(addr(m, 'to').displayName).toBe('%Z%45');
    expect(m.getLines('contact')).toHaveLength(2);
    expect(m.get('C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
    expect(viaBranch(vias(m)[0] as Via)).toBe('z9hG4bK209%fzsnel234');
  });

  it('lwsdisp: a token display name directly followed by <', () => {
    const from = addr(req('lwsdisp'), 'from');
    expect(from).toMatchObject({ displayName: 'caller', uri: 'sip:caller@example.com' });
    expect(getParam(from.params, 'tag')).toBe('323');
  });

  it('longreq: long display name, parameters, tag, Call-ID and 34 Via values', () => {
    const m = req('longreq');
    const to = addr(m, 'to');
    expect(to.displayName).toMatch(/^I have a user name of (extreme){10} proportion$/);
    expect(uri(to.uri).port).toBe(6000);
    expect(getParam(addr(m, 'from').params, 'tag')).toMatch(/^1(298){40,}2424$/);
    expect(m.get('call-id')).toMatch(/^longreq\.one(really)+longcallid$/);
    const v = vias(m);
    expect(v).toHaveLength(34);
    expect(v[0]?.host).toBe('sip33.example.com');
    expect(getParam(v[33]?.params ?? [], 'received')).toBe('192.0.2.5');
    expect(m.body.length).toBe(150);
  });

  it('dblreq: the octets after the REGISTER are ignored', () => {
    const m = req('dblreq');
    expect(m.method).toBe('REGISTER');
    expect(m.body.length).toBe(0);
    expect(m.get('call-id')).toBe('dblreq.0ha0isndaksdj99sdfafnl3lk233412');
  });

  it('semiuri: the user part is "user;par=u@example.net"', () => {
    const m = req('semiuri');
    const u = uri(m.uri);
    expect(unescapeUriPart(u.user ?? '')).toBe('user;par=u@example.net');
    expect(u.host).toBe('example.com');
    expect(u.params).toEqual([]);
    expect(splitList(m.get('accept') ?? '')).toHaveLength(6);
  });

  it('transports: UDP, SCTP, TLS, an unknown transport and TCP', () => {
    expect(vias(req('transports')).map((v) => v.transport)).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
  });

  it('mpart01: the binary part with NULs is framed by Content-Length', () => {
    const m = req('mpart01');
    expect(m.method).toBe('MESSAGE');
    expect(m.body.length).toBe(553);
    expect(m.body.includes(0)).toBe(true);
    expect(m.body.subarray(-22).toString('latin1')).toBe('--7a9cbec02ceef655--\r\n');
  });

  it('unreason: a UTF-8 reason phrase', () => {
    const m = res('unreason');
    expect(m.status).toBe(200);
    expect(m.reason).toBe('= 2**3 * 5**2 но сто девяносто девять - простое');
    expect(m.body.length).toBe(154);
  });

  it('noreason: an empty reason phrase', () => {
    const m = res('noreason');
    expect(m.status).toBe(100);
    expect(m.reason).toBe('');
  });
});

describe('§3.1.2 invalid messages still give what an error response needs', () => {
  const failure = (name: string) => {
    const r = parseMessage(load(name));
    if (r.ok) throw new Error(`${name} parsed`);
    return r;
  };

  it('badvers keeps the 7.0 request so that 505 can be sent', () => {
    const r = failure('badvers');
    expect(r.request?.version).toBe('SIP/7.0');
    expect(r.request?.get('call-id')).toBe('badvers.31417@c.example.com');
  });

  it('lwsstart and lwsruri are read liberally for the 400', () => {
    expect(failure('lwsstart').request?.uri).toBe('sip:user@example.com');
    expect(failure('lwsruri').request?.uri).toBe('sip:user@example.com; lr');
  });

  it('mismatch01 keeps the OPTIONS request line and CSeq', () => {
    const r = failure('mismatch01');
    expect(r.request?.method).toBe('OPTIONS');
    expect(r.request?.get('cseq')).toBe('8 INVITE');
  });

  it('clerr over TCP: the framer waits for the rest of the body, it does not fail', () => {
    const f = new StreamFramer({ maxMessageBytes: 65536 });
    expect(f.push(load('clerr'))).toEqual([]);
  });

  it('ncl and mcl01 over TCP lose framing: the connection must close', () => {
    for (const name of ['ncl', 'mcl01']) {
      const events = new StreamFramer({ maxMessageBytes: 65536 }).push(load(name));
      expect(events.map((e) => e.type), name).toEqual(['error']);
    }
  });
});

describe('§3.1.2 and §3.3 messages accepted here leave the decision to the layer that owns it', () => {
  it('baddate: the Date header is not interpreted by the parser', () => {
    expect(req('baddate').get('date')).toBe('Fri, 01 Jan 2010 16:00:00 EST');
  });

  it('regbadct: the registrar gets a parse failure for the unbracketed Contact (→ 400)', () => {
    const r = parseContacts(req('regbadct').get('contact') ?? '');
    expect(r.ok).toBe(false);
  });

  it('badbranch: the bare magic cookie is the branch; the transaction layer decides', () => {
    expect(viaBranch(vias(req('badbranch'))[0] as Via)).toBe('z9hG4bK');
  });

  it('unksm2: non-SIP URIs in To, From and Contact parse as opaque absolute URIs', () => {
    const m = req('unksm2');
    expect(addr(m, 'to').uri).toBe('isbn:2983792873');
    expect(addr(m, 'from').uri).toBe('http://www.example.com');
    expect(addr(m, 'contact').uri).toBe('name:John_Smith');
  });

  it('bcast: the second Via names the broadcast address', () => {
    expect(vias(res('bcast'))[1]?.host).toBe('255.255.255.255');
  });

  it('zeromf: Max-Forwards 0 is legal', () => {
    expect(req('zeromf').get('max-forwards')).toBe('0');
  });

  it('cparam01: unknownparam belongs to the Contact, not to its URI', () => {
    const [c] = value(parseContacts(req('cparam01').get('contact') ?? '')) as NameAddr[];
    expect(c?.params).toEqual([['unknownparam', null]]);
    expect(uri(c?.uri ?? '').params).toEqual([]);
  });

  it('cparam02: unknownparam belongs to the Contact URI', () => {
    const [c] = value(parseContacts(req('cparam02').get('contact') ?? '')) as NameAddr[];
    expect(c?.params).toEqual([]);
    expect(uri(c?.uri ?? '').params).toEqual([['unknownparam', null]]);
  });

  it('regescrt: the escaped Route header stays in the Contact URI', () => {
    const [c] = value(parseContacts(req('regescrt').get('contact') ?? '')) as NameAddr[];
    expect(uri(c?.uri ?? '').headers).toBe('?Route=%3Csip:sip.example.com%3E');
  });

  it('bext01, invut, regaut01, sdp01: headers for the application arrive raw', () => {
    expect(splitList(req('bext01').get('proxy-require') ?? '')).toEqual(['noProxiesSupportThis', 'norDoAnyProxiesSupportThis']);
    expect(req('invut').body.length).toBe(40);
    expect(req('regaut01').get('authorization')).toBe('NoOneKnowsThisScheme opaque-data=here');
    expect(req('sdp01').get('accept')).toBe('text/nobodyKnowsThis');
  });

  it('inv2543: no Content-Length on a datagram means the body is the rest', () => {
    const m = req('inv2543');
    const buf = load('inv2543');
    expect(m.body.length).toBe(buf.length - buf.indexOf('\r\n\r\n') - 4);
    expect(viaBranch(vias(m)[0] as Via)).toBeUndefined();
    expect(getParam(addr(m, 'from').params, 'tag')).toBeUndefined();
  });
});
