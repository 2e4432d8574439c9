// The SIP engine's own CPU per call, with no sockets, no app process and no sipp: datagrams are
// handed to the engine in-process, its sends are captured, and the app is a scripted stand-in
// that writes the frames drachtio-srf writes for the trivial app (answer, then BYE; REGISTER 200).
// It measures only the engine's JavaScript, so it is steady on a busy machine where the sipp
// benchmark's rates are not; syscalls and wake-ups are what it leaves out.
import { EventEmitter } from 'node:events';
import { SipEngine } from '../../core/sip/engine/engine.ts';
import type { Inbound } from '../../core/sip/transport/transport.ts';

const PEER = { protocol: 'udp' as const, address: '127.0.0.1', port: 26000 };
const SDP_OFFER =
  'v=0\r\no=sipp-uac 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 26100 RTP/AVP 0 8 101\r\n' +
  'a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n';
const SDP_ANSWER = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

/** An admin socket whose app side is this script. */
class ScriptedAppSocket extends EventEmitter {
  written: Buffer[] = [];
  setNoDelay(): void {}
  setKeepAlive(): void {}
  write(b: Buffer | string): boolean {
    this.written.push(Buffer.isBuffer(b) ? b : Buffer.from(b));
    return true;
  }
  destroy(): void {}
  end(): void {}
  /** Frames the engine wrote since the last call, as `payload` strings. */
  take(): string[] {
    const all = Buffer.concat(this.written);
    this.written = [];
    const out: string[] = [];
    let pos = 0;
    while (pos < all.length) {
      const hash = all.indexOf(0x23, pos);
      const len = Number(all.toString('latin1', pos, hash));
      out.push(all.toString('utf8', hash + 1, hash + 1 + len));
      pos = hash + 1 + len;
    }
    return out;
  }
  /** The app writes frames (one socket chunk, as a busy app's writes arrive). */
  send(payloads: string[]): void {
    if (payloads.length === 0) return;
    this.emit('data', Buffer.from(payloads.map((p) => `${Buffer.byteLength(p)}#${p}`).join('')));
  }
}

const turn = () => new Promise<void>((r) => setImmediate(r));
let appMsg = 0;
const appId = () => `m${++appMsg}`;

interface Rig {
  engine: SipEngine;
  app: ScriptedAppSocket;
  sent: Buffer[];
  inject(text: string): void;
  port: number;
}

async function rig(): Promise<Rig> {
  const engine = new SipEngine({
    listen: [{ address: '127.0.0.1', port: 0, protocols: ['udp'] }],
    admin: { address: '127.0.0.1', port: 0, secret: 'micro' },
    logLevel: 'error',
    appWriteCoalesceMs: 0,
  });
  await engine.start();
  const sent: Buffer[] = [];
  (engine.transport as unknown as { send: (d: Buffer) => void }).send = (d) => void sent.push(d);
  const app = new ScriptedAppSocket();
  (engine.admin as unknown as { accept(s: unknown): void }).accept(app);
  app.send(['a1|authenticate|micro|', 'a2|route|invite', 'a3|route|register']);
  await turn();
  app.take();
  const port = engine.transport.listeners[0]!.port;
  const local = { address: '127.0.0.1', port };
  const onInbound = (engine as unknown as { onInbound(m: Inbound): void }).onInbound.bind(engine);
  return { engine, app, sent, port, inject: (text) => onInbound({ data: Buffer.from(text), source: PEER, local }) };
}

const header = (msg: string, name: string): string => new RegExp(`^${name}: *(.*)$`, 'mi').exec(msg)?.[1] ?? '';

/** One batch of `n` calls: INVITE, 200 by the app, ACK, BYE by the app, 200 to the BYE. */
async function callBatch(r: Rig, base: number, n: number): Promise<void> {
  const host = `127.0.0.1:${r.port}`;
  for (let i = 0; i < n; i++) {
    const c = base + i;
    r.inject(
      `INVITE sip:service@${host} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:26000;branch=z9hG4bK-1-${c}-0\r\nMax-Forwards: 70\r\n` +
        `From: "sipp" <sip:sipp@127.0.0.1:26000>;tag=1SIPpTag00${c}\r\nTo: <sip:service@${host}>\r\nCall-ID: ${c}-1@127.0.0.1\r\n` +
        `CSeq: 1 INVITE\r\nContact: "sipp" <sip:sipp@127.0.0.1:26000;transport=UDP>\r\n` +
        `Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, NOTIFY, PRACK, UPDATE\r\nUser-Agent: tspbx-test-sipp\r\n` +
        `Content-Type: application/sdp\r\nContent-Length: ${SDP_OFFER.length}\r\n\r\n${SDP_OFFER}`,
    );
  }
  await turn();
  const answers: string[] = [];
  for (const f of r.app.take()) {
    const meta = f.slice(0, f.indexOf('\r\n')).split('|');
    const msg = f.slice(f.indexOf('\r\n') + 2);
    answers.push(
      `${appId()}|sip|${meta[8]}|\r\nSIP/2.0 200 OK\r\nCall-ID: ${header(msg, 'Call-ID')}\r\ncseq: 1 INVITE\r\n` +
        `from: ${header(msg, 'From')}\r\nto: ${header(msg, 'To')}\r\nContent-Length: ${SDP_ANSWER.length}\r\n\r\n${SDP_ANSWER}`,
    );
  }
  r.app.send(answers);
  for (const ok of r.sent.splice(0)) {
    const m = ok.toString();
    r.inject(
      `ACK sip:${host} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:26000;branch=z9hG4bK-ack-${++appMsg}\r\nMax-Forwards: 70\r\n` +
        `From: ${header(m, 'From')}\r\nTo: ${header(m, 'To')}\r\nCall-ID: ${header(m, 'Call-ID')}\r\nCSeq: 1 ACK\r\n` +
        `Contact: "sipp" <sip:sipp@127.0.0.1:26000;transport=UDP>\r\nContent-Length: 0\r\n\r\n`,
    );
  }
  await turn();
  const byes: string[] = [];
  for (const f of r.app.take()) {
    const meta = f.slice(0, f.indexOf('\r\n')).split('|');
    // The ACK frame names the dialog; the app hangs up in it.
    if (meta[1] === 'sip' && f.includes('\r\nACK ')) byes.push(`${appId()}|sip||${meta[9]}\r\nBYE sip:placeholder SIP/2.0\r\nContent-Length: 0\r\n\r\n`);
  }
  r.app.send(byes);
  for (const bye of r.sent.splice(0)) {
    const m = bye.toString();
    r.inject(
      `SIP/2.0 200 OK\r\nVia: ${header(m, 'Via')}\r\nFrom: ${header(m, 'From')}\r\nTo: ${header(m, 'To')}\r\n` +
        `Call-ID: ${header(m, 'Call-ID')}\r\nCSeq: 1 BYE\r\nContent-Length: 0\r\n\r\n`,
    );
  }
  await turn();
  r.app.take();
}

/** One batch of `n` REGISTERs answered 200 by the app. */
async function registerBatch(r: Rig, base: number, n: number): Promise<void> {
  const host = `127.0.0.1:${r.port}`;
  for (let i = 0; i < n; i++) {
    const c = base + i;
    r.inject(
      `REGISTER sip:${host} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:26000;branch=z9hG4bK-r-${c}-0\r\nMax-Forwards: 70\r\n` +
        `From: <sip:service@${host}>;tag=1SIPpTag00${c}\r\nTo: <sip:service@${host}>\r\nCall-ID: r${c}-1@127.0.0.1\r\n` +
        `CSeq: 1 REGISTER\r\nContact: <sip:service@127.0.0.1:26000;transport=UDP>\r\nExpires: 3600\r\n` +
        `User-Agent: tspbx-test-sipp\r\nContent-Length: 0\r\n\r\n`,
    );
  }
  await turn();
  const answers: string[] = [];
  for (const f of r.app.take()) {
    const meta = f.slice(0, f.indexOf('\r\n')).split('|');
    const msg = f.slice(f.indexOf('\r\n') + 2);
    answers.push(
      `${appId()}|sip|${meta[8]}|\r\nSIP/2.0 200 OK\r\nCall-ID: ${header(msg, 'Call-ID')}\r\ncseq: 1 REGISTER\r\n` +
        `from: ${header(msg, 'From')}\r\nto: ${header(msg, 'To')}\r\nContact: ${header(msg, 'Contact')}\r\nExpires: 3600\r\nContent-Length: 0\r\n\r\n`,
    );
  }
  r.app.send(answers);
  await turn();
  r.sent.splice(0);
  r.app.take();
}

/**
 * Runs `total` calls (or REGISTERs) in batches, in five rounds after a warm-up, and returns the
 * process's µs of CPU per one: the best round (least disturbed by other work on the machine) and
 * the median round.
 */
export async function microPerCall(kind: 'calls' | 'register', total: number, batch = 20): Promise<{ best: number; median: number; check: string }> {
  const r = await rig();
  const run = kind === 'calls' ? callBatch : registerBatch;
  // Warm-up: let the JIT settle before measuring.
  for (let c = 0; c < Math.min(total, 5000); c += batch) await run(r, 1e7 + c, batch);
  const rounds: number[] = [];
  const perRound = Math.max(batch, Math.floor(total / 5 / batch) * batch);
  for (let round = 0; round < 5; round++) {
    const t0 = process.cpuUsage();
    for (let c = 0; c < perRound; c += batch) await run(r, round * perRound + c, batch);
    const used = process.cpuUsage(t0);
    rounds.push((used.user + used.system) / perRound);
  }
  const s = r.engine.stats();
  const check = `transactions ${s.transactions}, dialogs ${s.dialogs}, pending ${s.pendingIncoming}/${s.pendingOutgoing}`;
  await r.engine.stop();
  rounds.sort((a, b) => a - b);
  return { best: rounds[0]!, median: rounds[2]!, check };
}
