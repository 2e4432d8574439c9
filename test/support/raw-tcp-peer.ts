// A bare TCP SIP peer: one connection, every byte it receives kept for assertions.
import net from 'node:net';
import { StreamFramer } from '../../core/sip/parser/stream-framer.ts';
import { parseMessage, type SipMessage } from '../../core/sip/parser/index.ts';

export class RawTcpPeer {
  socket!: net.Socket;
  readonly messages: SipMessage[] = [];
  raw = '';
  closed = false;
  private framer = new StreamFramer({ maxMessageBytes: 1 << 20 });

  async connect(port: number): Promise<void> {
    this.socket = net.connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('data', (d) => {
      this.raw += d.toString('latin1');
      for (const ev of this.framer.push(d)) {
        if (ev.type !== 'message') continue;
        const p = parseMessage(ev.data);
        if (p.ok) this.messages.push(p.value);
      }
    });
    this.socket.on('close', () => void (this.closed = true));
    this.socket.on('error', () => {});
  }

  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  async waitFor(pred: () => boolean, ms = 3000): Promise<void> {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`timed out; received: ${JSON.stringify(this.raw.slice(0, 500))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
