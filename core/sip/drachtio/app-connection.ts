// One connected drachtio-srf application on the admin socket.
import type net from 'node:net';
import { encodeFrame } from './framing.ts';
import { newId } from '../util/ids.ts';

export class AppConnection {
  readonly id = newId();
  authenticated = false;
  tags: string[] = [];
  readonly verbs = new Set<string>();
  closed = false;
  /** Frames written in one tick go out in one write: far fewer syscalls under load, same order. */
  private queue: string[] = [];
  private scheduled = false;

  constructor(readonly socket: net.Socket) {}

  /** Write one frame: `<newMsgId>|<rest>`. */
  send(rest: string): void {
    if (this.closed) return;
    this.queue.push(encodeFrame(`${newId()}|${rest}`));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.closed || this.queue.length === 0) return;
    const data = this.queue.length === 1 ? this.queue[0]! : this.queue.join('');
    this.queue = [];
    this.socket.write(data);
  };

  /** Flush what is queued, then close (a refusal must reach the app before the FIN). */
  end(): void {
    this.flush();
    this.socket.end();
  }

  /** `response|<clientMsgId>|<rest>`: exactly one per client frame (except proxy progress). */
  reply(clientMsgId: string, rest: string): void {
    this.send(`response|${clientMsgId}|${rest}`);
  }
}
