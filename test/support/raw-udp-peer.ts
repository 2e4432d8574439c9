// A bare UDP SIP peer for tests that must see every datagram the engine sends.
import dgram from 'node:dgram';
import { parseMessage, type SipMessage } from '../../core/sip/parser/index.ts';

export class RawUdpPeer {
  readonly socket = dgram.createSocket('udp4');
  readonly received: { msg: SipMessage; raw: string }[] = [];
  private waiters: (() => void)[] = [];
  port = 0;

  async bind(): Promise<void> {
    await new Promise<void>((r) => this.socket.bind(0, '127.0.0.1', () => r()));
    this.port = this.socket.address().port;
    this.socket.on('message', (data) => {
      const p = parseMessage(data);
      if (p.ok) this.received.push({ msg: p.value, raw: data.toString() });
      for (const w of this.waiters.splice(0)) w();
    });
  }

  send(text: string, port: number): void {
    this.socket.send(Buffer.from(text), port, '127.0.0.1');
  }

  /** Resolves when `pred` matches the received list, or rejects after `ms` of real time. */
  async waitFor(pred: (msgs: SipMessage[]) => boolean, ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pred(this.received.map((r) => r.msg))) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got: ${this.received.map((r) => startOf(r.msg)).join(', ')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  count(pred: (m: SipMessage) => boolean): number {
    return this.received.filter((r) => pred(r.msg)).length;
  }

  close(): void {
    this.socket.close();
  }
}

export function startOf(m: SipMessage): string {
  return m.kind === 'request' ? m.method : String(m.status);
}
