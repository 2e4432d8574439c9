// A minimal phone over raw UDP for registrar tests: REGISTER with Digest (MD5 or SHA-256, via
// test/support/digest-client.ts), exact control of every header, and OPTIONS answered or not.
import dgram from 'node:dgram';
import { parseMessage, type SipMessage, type SipRequest, type SipResponse } from '../../../../core/sip/parser/index.ts';
import { authorize, readChallenges, type Challenge } from '../../../support/digest-client.ts';

export interface RegisterOptions {
  /** Contact header value; null sends none (fetch bindings). Default: our own address. */
  contact?: string | null;
  expires?: number;
  /** 'none': no Authorization. A Challenge: answer it. */
  auth?: 'none' | Challenge;
  password?: string;
  username?: string;
  /** AOR user in To/From; default our user. */
  toUser?: string;
  nc?: number;
  extraHeaders?: string[];
  authorization?: string;
}

export class UdpPhone {
  readonly socket = dgram.createSocket('udp4');
  port = 0;
  readonly callId = `phone-${Math.random().toString(36).slice(2)}@127.0.0.1`;
  private cseq = 0;
  private branchSeq = 0;
  /** Requests the PBX sent us (keep-alive OPTIONS). */
  readonly requests: SipRequest[] = [];
  /** Answer OPTIONS with 200 (a live phone) or stay silent (a phone that went away). */
  answerOptions = true;
  private waiters: ((m: SipMessage) => boolean)[] = [];

  constructor(
    readonly user: string,
    readonly password: string,
    readonly pbx: { port: number },
  ) {}

  /** Port 0 = any free port; a given port lets another peer (sipp) take it over after close(). */
  async bind(port = 0): Promise<this> {
    await new Promise<void>((r) => this.socket.bind(port, '127.0.0.1', () => r()));
    this.port = this.socket.address().port;
    this.socket.on('message', (data, rinfo) => {
      const p = parseMessage(data);
      if (!p.ok) return;
      const m = p.value;
      if (m.kind === 'request') {
        this.requests.push(m);
        if (m.method === 'OPTIONS' && this.answerOptions) this.socket.send(okFor(m), rinfo.port, rinfo.address);
      }
      this.waiters = this.waiters.filter((w) => !w(m));
    });
    return this;
  }

  /** Sends one request and resolves with its final response (bounded wait). */
  async send(method: string, headers: string[], uri = `sip:pbx.test`): Promise<SipResponse> {
    const cseq = ++this.cseq;
    const branch = `z9hG4bK-ph${this.port}-${++this.branchSeq}`;
    const text = [
      `${method} ${uri} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.port};branch=${branch};rport`,
      'Max-Forwards: 70',
      `Call-ID: ${this.callId}`,
      `CSeq: ${cseq} ${method}`,
      ...headers,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    const done = new Promise<SipResponse>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no final response to ${method} CSeq ${cseq}`)), 5000);
      this.waiters.push((m) => {
        if (m.kind !== 'response' || m.status < 200 || !(m.get('via') ?? '').includes(branch)) return false;
        clearTimeout(t);
        resolve(m);
        return true;
      });
    });
    this.socket.send(text, this.pbx.port, '127.0.0.1');
    return done;
  }

  register(o: RegisterOptions = {}): Promise<SipResponse> {
    const user = o.toUser ?? this.user;
    const headers = [`From: <sip:${user}@pbx.test>;tag=t${this.port}`, `To: <sip:${user}@pbx.test>`];
    const contact = o.contact === undefined ? `<sip:${this.user}@127.0.0.1:${this.port}>` : o.contact;
    if (contact !== null) headers.push(`Contact: ${contact}`);
    if (o.expires !== undefined) headers.push(`Expires: ${o.expires}`);
    if (o.authorization) headers.push(`Authorization: ${o.authorization}`);
    else if (o.auth && o.auth !== 'none') {
      headers.push(`Authorization: ${authorize(o.auth, { method: 'REGISTER', uri: 'sip:pbx.test', username: o.username ?? this.user, password: o.password ?? this.password, nc: o.nc })}`);
    }
    headers.push(...(o.extraHeaders ?? []));
    return this.send('REGISTER', headers);
  }

  /** The usual two-step: unauthenticated REGISTER, then the answer to its `algorithm` challenge. */
  async registerWithAuth(o: Omit<RegisterOptions, 'auth'> & { algorithm?: string } = {}): Promise<{ challenge: Challenge; res: SipResponse }> {
    const first = await this.register({ ...o, auth: 'none' });
    if (first.status !== 401) return { challenge: undefined as never, res: first };
    const challenge = challengesOf(first).find((c) => c.algorithm === (o.algorithm ?? 'MD5'));
    if (!challenge) throw new Error(`no ${o.algorithm} challenge in ${first.getLines('www-authenticate').join(' | ')}`);
    return { challenge, res: await this.register({ ...o, auth: challenge }) };
  }

  /** Resolves when a request matching `pred` has arrived. */
  async waitForRequest(pred: (r: SipRequest) => boolean, ms = 5000): Promise<SipRequest> {
    const found = this.requests.find(pred);
    if (found) return found;
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('request did not arrive')), ms);
      this.waiters.push((m) => {
        if (m.kind !== 'request' || !pred(m)) return false;
        clearTimeout(t);
        resolve(m);
        return true;
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}

export function challengesOf(res: SipResponse): Challenge[] {
  return readChallenges(res.getLines('www-authenticate'));
}

/** The contacts a REGISTER's 200 lists. */
export function contactsOf(res: SipResponse): string[] {
  return res.getLines('contact').flatMap((l) => l.split(/,(?=\s*<)/).map((s) => s.trim())).filter(Boolean);
}

function okFor(req: SipRequest): string {
  return [
    'SIP/2.0 200 OK',
    ...req.getLines('via').map((v) => `Via: ${v}`),
    `From: ${req.get('from')}`,
    `To: ${req.get('to')};tag=phone`,
    `Call-ID: ${req.get('call-id')}`,
    `CSeq: ${req.get('cseq')}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}
