// The admin socket drachtio-srf connects to: framing, authenticate, route, ping, and dispatch of
// `sip` / `proxy` frames to the engine.
import net from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { FrameDecoder } from './framing.ts';
import { AppConnection } from './app-connection.ts';

const CRLF = Buffer.from('\r\n');
const EMPTY = Buffer.alloc(0);

export interface AppFrame {
  msgId: string;
  type: 'sip' | 'proxy';
  /** Meta tokens after the type. */
  meta: string[];
  /** Everything after the meta line's CRLF (a SIP message), empty if none; a view, not a copy. */
  body: Buffer;
}

export interface AdminDelegate {
  /** `OK|<hostports>|<version>|<localHostports>` fields for the handshake. */
  handshakeInfo(): { hostports: string; version: string; localHostports: string };
  onAppFrame(app: AppConnection, frame: AppFrame): void;
  onAppGone(app: AppConnection): void;
}

export interface AdminConfig {
  address: string;
  port: number;
  secret: string;
  /** Longest wait (ms) for frames to an app to share one write (FrameWriter); absent: 0. */
  coalesceMs?: number;
}

export class AdminServer {
  private server: net.Server;
  private readonly apps = new Set<AppConnection>();
  /** verb → apps that routed it, in connection order; round-robin cursor per verb. */
  private readonly routes = new Map<string, AppConnection[]>();
  private readonly cursor = new Map<string, number>();
  port = 0;

  constructor(
    private readonly config: AdminConfig,
    private readonly delegate: AdminDelegate,
    private readonly log: (msg: string) => void = () => {},
  ) {
    this.server = net.createServer((s) => this.accept(s));
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.port, this.config.address, () => {
        this.server.off('error', reject);
        const a = this.server.address();
        if (a && typeof a === 'object') this.port = a.port;
        resolve();
      });
    });
  }

  get appCount(): number {
    return this.apps.size;
  }

  /** Round-robin among the apps that routed `verb` (drachtio `selectClientForRequestOutsideDialog`). */
  selectApp(verb: string): AppConnection | undefined {
    const list = this.routes.get(verb);
    if (!list || list.length === 0) return undefined;
    const i = (this.cursor.get(verb) ?? 0) % list.length;
    this.cursor.set(verb, i + 1);
    return list[i];
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    const app = new AppConnection(socket, this.config.coalesceMs ?? 0);
    const decoder = new FrameDecoder();
    this.apps.add(app);
    socket.on('data', (chunk) => {
      const r = decoder.push(chunk);
      if (!r.ok) {
        this.log(`admin: closing app connection: ${r.error}`);
        socket.destroy();
        return;
      }
      for (const f of r.frames) this.onFrame(app, f);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.drop(app));
  }

  private drop(app: AppConnection): void {
    if (app.closed) return;
    app.closed = true;
    this.apps.delete(app);
    for (const [verb, list] of this.routes) {
      const rest = list.filter((a) => a !== app);
      if (rest.length) this.routes.set(verb, rest);
      else this.routes.delete(verb);
    }
    this.delegate.onAppGone(app);
  }

  private onFrame(app: AppConnection, payload: Buffer): void {
    // Only the meta line becomes text here; the SIP message stays bytes until it is read.
    const crlf = payload.indexOf(CRLF);
    const metaLine = payload.toString('utf8', 0, crlf < 0 ? payload.length : crlf);
    const body = crlf < 0 ? EMPTY : payload.subarray(crlf + 2);
    const tokens = metaLine.split('|');
    const msgId = tokens[0] ?? '';
    const type = tokens[1] ?? '';
    if (!app.authenticated) {
      if (type !== 'authenticate') {
        app.reply(msgId, 'NO|authenticate first');
        app.end();
        return;
      }
      return this.authenticate(app, msgId, tokens[2] ?? '', tokens[3] ?? '');
    }
    switch (type) {
      case 'route':
        return this.addRoute(app, msgId, (tokens[2] ?? '').toLowerCase());
      case 'remove_route':
        // drachtio-server removes the client from every verb (a quirk apps may rely on).
        for (const verb of [...app.verbs]) this.removeRoute(app, verb);
        app.reply(msgId, 'OK');
        return;
      case 'ping':
        app.reply(msgId, 'OK|pong');
        return;
      case 'sip':
      case 'proxy':
        this.delegate.onAppFrame(app, { msgId, type, meta: tokens.slice(2), body });
        return;
      default:
        app.reply(msgId, 'NO|Unknown message type');
        app.end();
    }
  }

  private authenticate(app: AppConnection, msgId: string, secret: string, tags: string): void {
    const a = Buffer.from(secret);
    const b = Buffer.from(this.config.secret);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      this.log('admin: app failed to authenticate (incorrect secret)');
      app.reply(msgId, 'NO|incorrect secret');
      app.end();
      return;
    }
    app.authenticated = true;
    app.tags = tags ? tags.split(',').filter(Boolean) : [];
    const h = this.delegate.handshakeInfo();
    app.reply(msgId, `OK|${h.hostports}|${h.version}|${h.localHostports}`);
  }

  private addRoute(app: AppConnection, msgId: string, verb: string): void {
    if (verb && !app.verbs.has(verb)) {
      app.verbs.add(verb);
      const list = this.routes.get(verb) ?? [];
      list.push(app);
      this.routes.set(verb, list);
    }
    app.reply(msgId, 'OK');
  }

  private removeRoute(app: AppConnection, verb: string): void {
    app.verbs.delete(verb);
    const list = (this.routes.get(verb) ?? []).filter((a) => a !== app);
    if (list.length) this.routes.set(verb, list);
    else this.routes.delete(verb);
  }

  close(): Promise<void> {
    for (const a of this.apps) a.socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
