// The Unix-socket side of the control protocol: one MediaServer, any number of connections.
// Every connection gets every event. The legs a connection created belong to it: when it goes
// away (the PBX app died or dropped the socket, and its side already counts those calls as lost)
// they are destroyed after a grace period, so a crashed app leaves no ports and recorders behind.

import { unlink } from 'node:fs/promises';
import net from 'node:net';
import type { MediaServer } from '../server.ts';
import { MediaError } from '../util/media-error.ts';
import { attachLineReader, writeMessage } from './framing.ts';
import type { ErrorBody, Response } from './protocol.ts';

export class ControlServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  /** Legs created through each connection and not destroyed through it. */
  private readonly owned = new Map<net.Socket, Set<string>>();
  private readonly offEvents: () => void;

  constructor(
    private readonly media: MediaServer,
    private readonly maxLine: number,
    private readonly log: (msg: string) => void = (m) => console.error(m),
    /** How long the legs of a closed connection live on (a recording flushes, a BYE arrives). */
    private readonly orphanGraceMs = 10_000,
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
    this.owned.set(socket, new Set());
    socket.on('close', () => {
      this.sockets.delete(socket);
      const legs = this.owned.get(socket) ?? new Set<string>();
      this.owned.delete(socket);
      if (legs.size > 0) this.reapLater(legs);
    });
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
      const result = await this.media.handle(m.op, m.params);
      this.track(socket, m.op, m.params, result);
      response = { type: 'response', id: m.id, ok: true, result };
    } catch (err) {
      const error: ErrorBody = err instanceof MediaError ? { status: err.status, message: err.message } : { status: 500, message: (err as Error).message ?? String(err) };
      if (error.status >= 500) this.log(`control: ${m.op} failed: ${(err as Error).stack ?? error.message}`);
      response = { type: 'response', id: m.id, ok: false, error };
    }
    writeMessage(socket, response);
  }

  private track(socket: net.Socket, op: string, params: unknown, result: unknown): void {
    const legs = this.owned.get(socket);
    if (!legs) return;
    if (op === 'leg.create') legs.add((result as { legId: string }).legId);
    else if (op === 'leg.destroy') legs.delete((params as { legId: string }).legId);
  }

  private reapLater(legs: Set<string>): void {
    const t = setTimeout(() => {
      let reaped = 0;
      void Promise.all(
        [...legs].map((legId) => this.media.handle('leg.destroy', { legId }).then(() => reaped++, () => undefined)),
      ).then(() => {
        if (reaped > 0) this.log(`control: destroyed ${reaped} legs left by a closed control connection`);
      });
    }, this.orphanGraceMs);
    t.unref();
  }

  async close(): Promise<void> {
    this.offEvents();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
