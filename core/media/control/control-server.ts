// The Unix-socket side of the control protocol: one MediaServer, any number of connections.
// Every connection gets every event (a PBX normally holds one connection; a restarted PBX
// reconnects and keeps receiving events for the calls that survived).

import { unlink } from 'node:fs/promises';
import net from 'node:net';
import type { MediaServer } from '../server.ts';
import { MediaError } from '../util/media-error.ts';
import { attachLineReader, writeMessage } from './framing.ts';
import type { ErrorBody, Response } from './protocol.ts';

export class ControlServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly offEvents: () => void;

  constructor(
    private readonly media: MediaServer,
    private readonly maxLine: number,
    private readonly log: (msg: string) => void = (m) => console.error(m),
  ) {
    this.server = net.createServer((socket) => this.accept(socket));
    this.offEvents = media.events.on((e) => {
      for (const s of this.sockets) writeMessage(s, e);
    });
  }

  async listen(path: string): Promise<void> {
    // A stale socket file from a crashed run would make listen fail with EADDRINUSE.
    await unlink(path).catch(() => undefined);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(path, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    attachLineReader(socket, this.maxLine, (line) => void this.onLine(socket, line));
  }

  private async onLine(socket: net.Socket, line: string): Promise<void> {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      this.log(`control: unparsable line dropped (${line.slice(0, 80)})`);
      return;
    }
    const m = msg as { type?: unknown; id?: unknown; op?: unknown; params?: unknown };
    if (m.type !== 'request' || typeof m.id !== 'number' || typeof m.op !== 'string') {
      this.log('control: message is not a request, dropped');
      return;
    }
    let response: Response;
    try {
      response = { type: 'response', id: m.id, ok: true, result: await this.media.handle(m.op, m.params) };
    } catch (err) {
      const error: ErrorBody = err instanceof MediaError ? { status: err.status, message: err.message } : { status: 500, message: (err as Error).message ?? String(err) };
      if (error.status >= 500) this.log(`control: ${m.op} failed: ${(err as Error).stack ?? error.message}`);
      response = { type: 'response', id: m.id, ok: false, error };
    }
    writeMessage(socket, response);
  }

  async close(): Promise<void> {
    this.offEvents();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
