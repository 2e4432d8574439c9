// Parser throughput: messages/s for a typical INVITE (with SDP) and a REGISTER.
// Run: node --import tsx bench/parser-bench.ts

import { parseMessage } from '../core/sip/parser/parse.ts';
import { serializeMessage } from '../core/sip/parser/serialize.ts';

const SDP = 'v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=sendrecv\r\n';

const INVITE = Buffer.from(
  'INVITE sip:bob@biloxi.example.com SIP/2.0\r\n' +
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport\r\n' +
    'Max-Forwards: 70\r\n' +
    'To: Bob <sip:bob@biloxi.example.com>\r\n' +
    'From: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774\r\n' +
    'Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n' +
    'CSeq: 314159 INVITE\r\n' +
    'Contact: <sip:alice@192.0.2.10:5060;transport=udp>\r\n' +
    'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, INFO, UPDATE\r\n' +
    'Supported: replaces, timer\r\n' +
    'User-Agent: ExamplePhone/1.2.3\r\n' +
    'Content-Type: application/sdp\r\n' +
    `Content-Length: ${SDP.length}\r\n\r\n${SDP}`,
);

const REGISTER = Buffer.from(
  'REGISTER sip:example.com SIP/2.0\r\n' +
    'Via: SIP/2.0/TCP [2001:db8::10]:5070;branch=z9hG4bKnashds7;rport\r\n' +
    'Max-Forwards: 70\r\n' +
    'To: <sip:1001@example.com>\r\n' +
    'From: <sip:1001@example.com>;tag=a73kszlfl\r\n' +
    'Call-ID: 1j9FpLxk3uxtm8tn@[2001:db8::10]\r\n' +
    'CSeq: 2 REGISTER\r\n' +
    'Contact: <sip:1001@[2001:db8::10]:5070;transport=tcp>;expires=3600;+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>";reg-id=1\r\n' +
    'Authorization: Digest username="1001", realm="example.com", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", uri="sip:example.com", response="dfe56131d1958046689d83306477ecc", algorithm=MD5\r\n' +
    'Expires: 3600\r\n' +
    'Content-Length: 0\r\n\r\n',
);

/** Reports CPU time as well as wall time: on a shared 2-core box wall time swings widely. */
function bench(name: string, msg: Buffer, fn: (b: Buffer) => unknown): void {
  for (let i = 0; i < 20_000; i++) fn(msg);
  const n = 200_000;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(msg);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpuUsed = process.cpuUsage(cpu0);
  const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
  const rate = (secs: number) => Math.round(n / secs).toLocaleString('en-US').padStart(10);
  console.log(`${name.padEnd(26)} ${rate(cpu)} msg/s per core (CPU ${((cpu / n) * 1e6).toFixed(2)} µs, wall ${rate(wall)} msg/s)`);
}

const parsed = (b: Buffer) => {
  const r = parseMessage(b);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
bench('parse INVITE', INVITE, parseMessage);
bench('parse REGISTER', REGISTER, parseMessage);
const inv = parsed(INVITE);
bench('serialize INVITE', INVITE, () => serializeMessage(inv));
bench('parse+serialize REGISTER', REGISTER, (b) => serializeMessage(parsed(b)));
