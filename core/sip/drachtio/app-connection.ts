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

  constructor(readonly socket: net.Socket) {}

  /** Write one frame: `<newMsgId>|<rest>`. */
  send(rest: string): void {
    if (this.closed) return;
    this.socket.write(encodeFrame(`${newId()}|${rest}`));
  }

  /** `response|<clientMsgId>|<rest>`: exactly one per client frame (except proxy progress). */
  reply(clientMsgId: string, rest: string): void {
    this.send(`response|${clientMsgId}|${rest}`);
  }
}
