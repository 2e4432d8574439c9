// A raw UDP phone for message-waiting tests: SUBSCRIBEs to message-summary (answering the digest
// challenge), answers the NOTIFYs it gets, and can REGISTER through its UdpPhone.
import { parseMessage, parseNameAddr, tagOf, type SipRequest, type SipResponse } from '../../../../core/sip/parser/index.ts';
import { authorize } from '../../../support/digest-client.ts';
import { PASSWORDS, type PbxHarness } from '../../pbx/support/pbx-harness.ts';
import { challengesOf, UdpPhone } from '../../pbx/support/udp-phone.ts';

/** Phones opened and not closed yet (closeMwiPhones() in afterEach). */
const phones: MwiPhone[] = [];

export function closeMwiPhones(): void {
  for (const p of phones.splice(0)) p.udp.close();
}

/** A phone that subscribes to message-summary, answers the NOTIFYs it gets, and can REGISTER. */
export class MwiPhone {
  readonly notifies: SipRequest[] = [];
  /** Status for NOTIFYs; null leaves them unanswered. */
  notifyStatus: number | null = 200;
  dialog: { callId: string; fromTag: string; toTag: string; target: string; mailbox: string } | undefined;
  private seen = 0;
  private cseq = 0;
  private n = 0;
  private readonly branches = new Set<string>();
  private wake: (() => void)[] = [];
  private responseWaiters: ((m: SipResponse) => boolean)[] = [];

  constructor(readonly udp: UdpPhone) {
    udp.socket.on('message', (data, rinfo) => {
      const p = parseMessage(data);
      if (!p.ok) return;
      const m = p.value;
      if (m.kind === 'response') {
        this.responseWaiters = this.responseWaiters.filter((w) => !w(m));
        return;
      }
      if (m.method !== 'NOTIFY') return;
      const key = `${m.get('via')}|${m.get('cseq')}`;
      if (!this.branches.has(key)) {
        this.branches.add(key);
        this.notifies.push(m);
        for (const w of this.wake.splice(0)) w();
      }
      if (this.notifyStatus !== null) udp.socket.send(answer(m, this.notifyStatus), rinfo.port, rinfo.address);
    });
  }

  static async open(h: PbxHarness, user = '1001', port = 0): Promise<MwiPhone> {
    const p = new MwiPhone(await new UdpPhone(user, PASSWORDS[user]!, { port: h.engine.sipPort }).bind(port));
    phones.push(p);
    return p;
  }

  /** Closes the socket now (a phone that goes away); closeMwiPhones() skips it later. */
  close(): void {
    this.udp.close();
    const i = phones.indexOf(this);
    if (i >= 0) phones.splice(i, 1);
  }

  get user(): string {
    return this.udp.user;
  }

  /** A new subscription; answers the 401 challenge unless `auth: false`. */
  async subscribe(o: { mailbox?: string; expires?: number; event?: string; accept?: string; auth?: boolean; password?: string } = {}): Promise<SipResponse> {
    const mailbox = o.mailbox ?? this.user;
    const callId = `mwi-${this.udp.port}-${++this.n}@127.0.0.1`;
    const fromTag = `ft${this.udp.port}x${this.n}`;
    const uri = `sip:${mailbox}@pbx.test`;
    const headers = (extra: string[]) => [
      `From: <sip:${this.user}@pbx.test>;tag=${fromTag}`,
      `To: <${uri}>`,
      `Call-ID: ${callId}`,
      `Contact: <sip:${this.user}@127.0.0.1:${this.udp.port}>`,
      `Event: ${o.event ?? 'message-summary'}`,
      ...(o.accept === undefined ? ['Accept: application/simple-message-summary'] : o.accept ? [`Accept: ${o.accept}`] : []),
      ...(o.expires === undefined ? [] : [`Expires: ${o.expires}`]),
      ...extra,
    ];
    let res = await this.send('SUBSCRIBE', uri, headers([]));
    if (res.status === 401 && o.auth !== false) {
      const c = challengesOf(res)[0]!;
      const cred = authorize(c, { method: 'SUBSCRIBE', uri, username: this.user, password: o.password ?? this.udp.password });
      res = await this.send('SUBSCRIBE', uri, headers([`Authorization: ${cred}`]));
    }
    if (res.status >= 200 && res.status < 300) {
      const contact = parseNameAddr(res.get('contact') ?? '');
      this.dialog = { callId, fromTag, toTag: tagOf(res.get('to') ?? '') ?? '', target: contact.ok ? contact.value.uri : uri, mailbox };
    }
    return res;
  }

  /** A SUBSCRIBE inside the dialog: a refresh, or with 0 an unsubscribe. */
  refresh(expires: number, contactPort = this.udp.port): Promise<SipResponse> {
    const d = this.dialog!;
    return this.send('SUBSCRIBE', d.target, [
      `From: <sip:${this.user}@pbx.test>;tag=${d.fromTag}`,
      `To: <sip:${d.mailbox}@pbx.test>;tag=${d.toTag}`,
      `Call-ID: ${d.callId}`,
      `Contact: <sip:${this.user}@127.0.0.1:${contactPort}>`,
      'Event: message-summary',
      `Expires: ${expires}`,
    ]);
  }

  /** The next NOTIFY not yet looked at (bounded wait). */
  async nextNotify(ms = 8000): Promise<SipRequest> {
    const deadline = Date.now() + ms;
    while (this.notifies.length <= this.seen) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no NOTIFY #${this.seen + 1} arrived`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.notifies[this.seen++]!;
  }

  private send(method: string, uri: string, headers: string[]): Promise<SipResponse> {
    const branch = `z9hG4bK-mwi${this.udp.port}-${++this.n}`;
    const text = [
      `${method} ${uri} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.udp.port};branch=${branch};rport`,
      'Max-Forwards: 70',
      `CSeq: ${++this.cseq} ${method}`,
      ...headers,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    const done = new Promise<SipResponse>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no final response to ${method}`)), 5000);
      this.responseWaiters.push((m) => {
        if (m.status < 200 || !(m.get('via') ?? '').includes(branch)) return false;
        clearTimeout(t);
        resolve(m);
        return true;
      });
    });
    this.udp.socket.send(text, this.udp.pbx.port, '127.0.0.1');
    return done;
  }
}

function answer(req: SipRequest, status: number): string {
  const to = req.get('to') ?? '';
  return [
    `SIP/2.0 ${status} ${status === 200 ? 'OK' : 'Nope'}`,
    ...req.getLines('via').map((v) => `Via: ${v}`),
    `From: ${req.get('from')}`,
    `To: ${tagOf(to) ? to : `${to};tag=phone`}`,
    `Call-ID: ${req.get('call-id')}`,
    `CSeq: ${req.get('cseq')}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** The three lines of an application/simple-message-summary body. */
export function summaryOf(req: SipRequest): { waiting: string; account: string; voice: string } {
  const body = req.body.toString();
  const line = (name: string) => new RegExp(`^${name}:\\s*(.*?)\\r?$`, 'mi').exec(body)?.[1] ?? '';
  return { waiting: line('Messages-Waiting'), account: line('Message-Account'), voice: line('Voice-Message') };
}

