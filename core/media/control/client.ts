// The PBX's handle on the media server: typed request methods, typed event fields, request
// timeouts, and loss detection. When the connection drops (the media process died or was
// killed), every pending request fails, `disconnected` fires with the legs that were live, and
// the client can reconnect (bounded attempts) to a restarted server, firing `reconnected`.

import net from 'node:net';
import { Event } from '../util/event.ts';
import { MediaError, type MediaErrorStatus } from '../util/media-error.ts';
import { attachLineReader, writeMessage } from './framing.ts';
import type { EventMap, MediaEvent, Op, Params, Response, Result } from './protocol.ts';

export interface ClientOptions {
  socketPath: string;
  requestTimeoutMs?: number;
  /** Reconnect after a drop: attempts and delay between them (default: no reconnect). */
  reconnect?: { attempts: number; delayMs: number };
}

export interface Disconnect {
  reason: string;
  /** Legs created through this client and not destroyed: their media is gone. */
  lostLegs: string[];
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
  op: Op;
}

export class MediaClient {
  readonly dtmf = new Event<[EventMap['dtmf']]>();
  readonly playDone = new Event<[EventMap['playDone']]>();
  readonly recordDone = new Event<[EventMap['recordDone']]>();
  readonly rtpTimeout = new Event<[EventMap['rtpTimeout']]>();
  readonly stats = new Event<[EventMap['stats']]>();
  readonly disconnected = new Event<[Disconnect]>();
  readonly reconnected = new Event<[]>();
  private socket: net.Socket | undefined;
  private readonly pending = new Map<number, Pending>();
  /** legId → callId of legs created here and not yet destroyed. */
  private readonly liveLegs = new Map<string, string>();
  private nextId = 1;
  private closing = false;
  private reconnectTimer: NodeJS.Timeout | undefined;

  private constructor(private readonly opts: ClientOptions) {}

  static async connect(opts: ClientOptions): Promise<MediaClient> {
    const c = new MediaClient(opts);
    await c.open();
    return c;
  }

  get connected(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  private open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(this.opts.socketPath);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.on('error', () => undefined); // 'close' follows and does the work
        this.socket = socket;
        attachLineReader(socket, 16 * 1024 * 1024, (line) => this.onLine(line));
        socket.once('close', () => this.onClose(socket));
        resolve();
      });
    });
  }

  private onLine(line: string): void {
    let msg: Response | MediaEvent;
    try {
      msg = JSON.parse(line) as Response | MediaEvent;
    } catch {
      return;
    }
    if (msg.type === 'response') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new MediaError(msg.error.status as MediaErrorStatus, `${p.op}: ${msg.error.message}`));
    } else if (msg.type === 'event') {
      this.dispatch(msg);
    }
  }

  private dispatch(e: MediaEvent): void {
    switch (e.event) {
      case 'dtmf':
        return this.dtmf.emit(e.data);
      case 'playDone':
        return this.playDone.emit(e.data);
      case 'recordDone':
        return this.recordDone.emit(e.data);
      case 'rtpTimeout':
        return this.rtpTimeout.emit(e.data);
      case 'stats':
        return this.stats.emit(e.data);
    }
  }

  private onClose(socket: net.Socket): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    const reason = this.closing ? 'closed by client' : 'media server connection lost';
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new MediaError(503, `${p.op}: ${reason}`));
      this.pending.delete(id);
    }
    const lostLegs = [...this.liveLegs.keys()];
    this.liveLegs.clear();
    this.disconnected.emit({ reason, lostLegs });
    if (!this.closing && this.opts.reconnect) this.scheduleReconnect(this.opts.reconnect.attempts);
  }

  private scheduleReconnect(left: number): void {
    if (left <= 0 || this.closing) return;
    this.reconnectTimer = setTimeout(() => {
      this.open().then(
        () => this.reconnected.emit(),
        () => this.scheduleReconnect(left - 1),
      );
    }, this.opts.reconnect!.delayMs);
  }

  request<K extends Op>(op: K, params: Params<K>): Promise<Result<K>> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new MediaError(503, `${op}: not connected to the media server`));
    const id = this.nextId++;
    return new Promise<Result<K>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new MediaError(503, `${op}: no response from the media server`));
      }, this.opts.requestTimeoutMs ?? 10_000);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer, op });
      writeMessage(socket, { type: 'request', id, op, params });
    });
  }

  // ---- typed operations ----

  ping = (): Promise<Result<'ping'>> => this.request('ping', {});
  status = (): Promise<Result<'status'>> => this.request('status', {});

  async createLeg(params: Params<'leg.create'>): Promise<Result<'leg.create'>> {
    const r = await this.request('leg.create', params);
    this.liveLegs.set(r.legId, params.callId);
    return r;
  }

  setRemote = (params: Params<'leg.remote'>): Promise<Result<'leg.remote'>> => this.request('leg.remote', params);
  reoffer = (params: Params<'leg.offer'>): Promise<Result<'leg.offer'>> => this.request('leg.offer', params);
  legStats = (legId: string): Promise<Result<'leg.stats'>> => this.request('leg.stats', { legId });

  async destroyLeg(legId: string): Promise<Result<'leg.destroy'>> {
    this.liveLegs.delete(legId);
    return this.request('leg.destroy', { legId });
  }

  async destroyCall(callId: string): Promise<Result<'call.destroy'>> {
    for (const [legId, call] of this.liveLegs) if (call === callId) this.liveLegs.delete(legId);
    return this.request('call.destroy', { callId });
  }

  /** Legs created through this client and not destroyed (what a drop would lose). */
  get legs(): string[] {
    return [...this.liveLegs.keys()];
  }
  bridge = (legA: string, legB: string): Promise<Result<'bridge.create'>> => this.request('bridge.create', { legA, legB });
  /** The leg hears what it sends (unbridge with the returned bridgeId). */
  echo = (legId: string): Promise<Result<'bridge.create'>> => this.request('bridge.create', { legA: legId, legB: legId, echo: true });
  unbridge = (bridgeId: string): Promise<Result<'bridge.destroy'>> => this.request('bridge.destroy', { bridgeId });
  joinConference = (params: Params<'conference.join'>): Promise<Result<'conference.join'>> => this.request('conference.join', params);
  leaveConference = (legId: string): Promise<Result<'conference.leave'>> => this.request('conference.leave', { legId });
  muteConference = (legId: string, muted: boolean): Promise<Result<'conference.mute'>> => this.request('conference.mute', { legId, muted });
  play = (params: Params<'play.start'>): Promise<Result<'play.start'>> => this.request('play.start', params);
  stopPlay = (legId: string): Promise<Result<'play.stop'>> => this.request('play.stop', { legId });
  record = (params: Params<'record.start'>): Promise<Result<'record.start'>> => this.request('record.start', params);
  stopRecord = (recordId: string): Promise<Result<'record.stop'>> => this.request('record.stop', { recordId });
  sendDtmf = (params: Params<'dtmf.send'>): Promise<Result<'dtmf.send'>> => this.request('dtmf.send', params);

  close(): void {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    this.socket?.destroy();
  }
}
