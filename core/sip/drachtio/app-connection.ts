// One connected drachtio-srf application on the admin socket.
import type net from 'node:net';
import type { FramePayload } from './frames.ts';
import { FrameWriter } from './frame-writer.ts';
import { newId } from '../util/ids.ts';

export class AppConnection {
  readonly id = newId();
  authenticated = false;
  tags: string[] = [];
  readonly verbs = new Set<string>();
  private closedFlag = false;
  private readonly writer: FrameWriter;

  /** `coalesceMs`: how long frames may wait to share a write; 0 writes once per event-loop turn. */
  constructor(
    readonly socket: net.Socket,
    coalesceMs: number,
  ) {
    this.writer = new FrameWriter((data) => {
      if (!this.closedFlag) this.socket.write(data);
    }, coalesceMs);
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  set closed(v: boolean) {
    this.closedFlag = v;
    if (v) this.writer.clear();
  }

  /** Write one frame: `<newMsgId>|<rest>`, where a SIP message travels as its own bytes. */
  send(rest: string | FramePayload): void {
    if (this.closedFlag) return;
    if (typeof rest === 'string') this.writer.push(`${newId()}|${rest}`);
    else this.writer.push(`${newId()}|${rest.head}`, rest.sip);
  }

  /** Flush what is queued, then close (a refusal must reach the app before the FIN). */
  end(): void {
    this.writer.flush();
    this.socket.end();
  }

  /** `response|<clientMsgId>|<rest>`: exactly one per client frame (except proxy progress). */
  reply(clientMsgId: string, rest: string | FramePayload): void {
    if (typeof rest === 'string') this.send(`response|${clientMsgId}|${rest}`);
    else this.send({ head: `response|${clientMsgId}|${rest.head}`, sip: rest.sip });
  }
}
