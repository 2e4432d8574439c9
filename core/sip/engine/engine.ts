// The SIP engine: transports + transactions + dialogs + proxy core, driven by drachtio-srf apps
// over the admin socket. This file wires the layers and dispatches; each path lives in its module.
import { setFlagsFromString } from 'node:v8';
import { parseMessage, serializeMessage } from '../parser/index.ts';
import type { SipRequest, SipResponse } from '../parser/message.ts';
import { AdminServer, type AppFrame } from '../drachtio/admin-server.ts';
import type { AppConnection } from '../drachtio/app-connection.ts';
import { DialogStore } from '../dialog/dialog-store.ts';
import { TransactionLayer } from '../transaction/transaction-layer.ts';
import { TransportLayer, destination, type Destination } from '../transport/transport-layer.ts';
import type { Inbound } from '../transport/transport.ts';
import type { Clock } from '../util/clock.ts';
import { TimerWheel } from '../util/timer-wheel.ts';
import { LoopLoad } from '../util/loop-load.ts';
import { createLogger, type Logger } from '../util/logger.ts';
import { responseFor } from './build.ts';
import type { EngineContext, IncomingRequest, OutgoingRequest } from './context.ts';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from './engine-config.ts';
import { handleNetworkRequest } from './network-requests.ts';
import { handleStrayResponse } from './stray-responses.ts';
import { handleAppSip } from './app-frames.ts';
import { ProxyCore } from '../proxy/proxy-core.ts';
import { stampVia } from './via-stamp.ts';
import { IncomingGuard, settleIncoming } from './incoming.ts';

export const ENGINE_VERSION = 'v0.9.10';

export interface EngineStats {
  transactions: number;
  clientTransactions: number;
  serverTransactions: number;
  dialogs: number;
  connections: number;
  apps: number;
  pendingIncoming: number;
  pendingOutgoing: number;
  proxies: number;
  counters: Record<string, number>;
}

export class SipEngine implements EngineContext {
  readonly transport: TransportLayer;
  readonly txns: TransactionLayer;
  readonly dialogs = new DialogStore();
  readonly admin: AdminServer;
  readonly incoming = new Map<string, IncomingRequest>();
  readonly outgoing = new Map<string, OutgoingRequest>();
  readonly counters: Record<string, number> = {};
  readonly log: Logger;
  readonly config: EngineConfig;
  readonly proxy: ProxyCore;
  readonly incomingGuard: IncomingGuard;
  private readonly loopLoad = new LoopLoad();

  readonly clock: Clock;
  /** The engine's own timers when no clock was injected; cleared on stop. */
  private readonly wheel: TimerWheel | undefined;

  constructor(config: Partial<EngineConfig> = {}, clock?: Clock) {
    this.config = { ...DEFAULT_ENGINE_CONFIG, ...config, timers: { ...DEFAULT_ENGINE_CONFIG.timers, ...config.timers } };
    this.wheel = clock ? undefined : new TimerWheel(this.config.timerResolutionMs);
    this.clock = clock ?? this.wheel!;
    this.log = createLogger(this.config.logLevel, 'sip');
    this.transport = new TransportLayer(
      {
        listen: this.config.listen,
        maxUdpBytes: this.config.maxUdpBytes,
        maxTcpBytes: this.config.maxTcpBytes,
        tcpIdleTimeoutMs: this.config.tcpIdleTimeoutMs,
        udpIo: this.config.udpIo,
        warn: (m) => this.log.warn(m),
      },
      {
        onMessage: (m) => this.onInbound(m),
        onRejected: (reason, src) => {
          this.count('rejected');
          this.log.warn(`dropped message from ${src.address}:${src.port}/${src.protocol}: ${reason}`);
        },
      },
    );
    this.txns = new TransactionLayer({
      timers: this.config.timers,
      clock: this.clock,
      sender: { send: (d, dest, onErr) => this.wireSend(d, dest, onErr), serialize: serializeMessage },
    });
    this.admin = new AdminServer({ coalesceMs: this.config.appWriteCoalesceMs, ...this.config.admin }, {
      handshakeInfo: () => this.handshakeInfo(),
      onAppFrame: (app, f) => this.onAppFrame(app, f),
      onAppGone: (app) => this.onAppGone(app),
    }, (m) => this.log.notice(m));
    this.proxy = new ProxyCore(this);
    // Sweep at T1 granularity (capped at 1 s): a 408 for a silent app is at most that late.
    this.incomingGuard = new IncomingGuard(this, Math.min(1000, this.config.timers.t1));
  }

  async start(): Promise<void> {
    // Read by V8 at every scavenge, so it can be set now (see EngineConfig.parallelScavenge).
    if (!this.config.parallelScavenge) setFlagsFromString('--no-parallel-scavenge');
    await this.transport.start();
    await this.admin.listen();
    const l = this.transport.listeners.map((x) => `${x.protocol}/${x.address}:${x.port}`).join(', ');
    this.log.notice(`SIP engine listening on ${l}; admin on ${this.config.admin.address}:${this.admin.port}`);
  }

  async stop(): Promise<void> {
    this.txns.shutdown();
    this.proxy.shutdown();
    this.incomingGuard.stop();
    // Dialog timers (2xx retransmission, ACK wait) die with their dialogs.
    for (const d of [...this.dialogs.all()]) this.dialogs.delete(d);
    for (const inc of this.incoming.values()) for (const t of inc.reliable?.timers ?? []) t.cancel();
    this.incoming.clear();
    this.outgoing.clear();
    await this.admin.close();
    await this.transport.stop();
    this.wheel?.clear();
  }

  stats(): EngineStats {
    const t = this.txns.count;
    return {
      transactions: t.client + t.server,
      clientTransactions: t.client,
      serverTransactions: t.server,
      dialogs: this.dialogs.size,
      connections: this.transport.connectionCount,
      apps: this.admin.appCount,
      pendingIncoming: this.incoming.size,
      pendingOutgoing: this.outgoing.size,
      proxies: this.proxy.size,
      counters: { ...this.counters },
    };
  }

  loopSaturated(): boolean {
    return this.loopLoad.saturated();
  }

  count(name: string): void {
    this.counters[name] = (this.counters[name] ?? 0) + 1;
  }

  sendRaw(msg: SipRequest | SipResponse, dest: Destination): Buffer {
    const bytes = serializeMessage(msg);
    this.wireSend(bytes, dest, (e) => this.log.info(`send to ${dest.address}:${dest.port} failed: ${e}`));
    return bytes;
  }

  wireSend(data: Buffer, dest: Destination, onError?: (e: string) => void): void {
    // Message tracing costs one boolean test when debug logging is off.
    if (this.log.debugEnabled) this.log.debug(`send ${data.length} bytes to ${dest.protocol}/${dest.address}:${dest.port}\n${data.toString()}`);
    this.transport.send(data, dest, onError);
  }

  private handshakeInfo() {
    const hp = this.transport.listeners.map((l) => `${l.protocol}/${l.advertised}`).join(',');
    const local = this.transport.listeners.map((l) => `${l.protocol}/${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port}`).join(',');
    return { hostports: hp, version: ENGINE_VERSION, localHostports: local };
  }

  private onInbound(m: Inbound): void {
    const source = destination(m.source, m.connectionId);
    if (this.log.debugEnabled) this.log.debug(`recv ${m.data.length} bytes from ${source.protocol}/${source.address}:${source.port}\n${m.data.toString()}`);
    const listener = this.transport.listenerFor(m.source.protocol, m.local.address);
    if (!listener) return;
    let parsed;
    try {
      // Streams must carry an exact Content-Length (RFC 3261 §18.3); datagrams may trail junk.
      parsed = parseMessage(m.data, { stream: m.connectionId !== undefined });
    } catch (err) {
      // The parser promises not to throw; if it ever does, the engine still must not crash.
      this.count('parserExceptions');
      this.log.error(`parser threw on ${m.data.length} bytes from ${source.address}: ${(err as Error).message}`);
      return;
    }
    if (m.oversize) return this.rejectOversize(parsed, source);
    if (!parsed.ok) {
      this.count('malformed');
      this.log.info(`malformed SIP from ${source.address}:${source.port}/${source.protocol}: ${parsed.error}`);
      const req = parsed.request;
      if (req && req.method !== 'ACK' && parsed.status > 0) {
        stampVia(req, m.source);
        const res = responseFor(req, parsed.status, sanitizeReason(parsed.error));
        this.sendRaw(res, source);
      }
      return;
    }
    const msg = parsed.value;
    msg.raw = wireBytes(m.data, msg.body);
    if (msg.kind === 'response') {
      if (!this.txns.receiveResponse(msg)) handleStrayResponse(this, msg);
      return;
    }
    stampVia(msg, m.source);
    handleNetworkRequest(this, msg, source, listener);
  }

  private rejectOversize(parsed: ReturnType<typeof parseMessage>, source: Destination): void {
    this.count('oversize');
    const req = parsed.ok ? (parsed.value.kind === 'request' ? parsed.value : undefined) : parsed.request;
    this.log.info(`oversize message from ${source.address}:${source.port} dropped`);
    if (req && req.method !== 'ACK') this.sendRaw(responseFor(req, 513), source);
  }

  private onAppFrame(app: AppConnection, f: AppFrame): void {
    try {
      if (f.type === 'proxy') this.proxy.start(app, f);
      else handleAppSip(this, app, f);
    } catch (err) {
      this.count('appFrameErrors');
      this.log.error(`error handling app frame ${f.type}: ${(err as Error).stack ?? err}`);
      app.reply(f.msgId, `NOK|Server error: ${(err as Error).message}`);
    }
  }

  private onAppGone(app: AppConnection): void {
    this.log.notice(`app ${app.id} disconnected`);
    // Requests the app will never answer now: fail them instead of leaving callers hanging.
    for (const inc of [...this.incoming.values()]) {
      if (inc.app !== app || inc.finalSent) continue;
      settleIncoming(this, inc);
      const res = responseFor(inc.req, 480, 'Application Disconnected', inc.dialog?.localTag);
      inc.stx.respond(res);
      if (inc.dialog && !inc.inDialog) this.dialogs.delete(inc.dialog);
    }
    // Its subscription dialogs can never be served again (phones get 481 for them either way),
    // and, unlike a call, nothing else would ever end them.
    for (const d of [...this.dialogs.all()]) if (d.app === app && d.kind === 'subscribe') this.dialogs.delete(d);
  }
}

/**
 * The bytes of the message itself, for relaying to apps as received: a datagram may carry junk
 * after the body (RFC 4475 dblreq), which must not be relayed.
 */
function wireBytes(data: Buffer, body: Buffer): Buffer | undefined {
  if (body.length > 0 && body.buffer === data.buffer) {
    const end = body.byteOffset - data.byteOffset + body.length;
    return end >= data.length ? data : data.subarray(0, end);
  }
  return data.length >= 4 && data.subarray(-4).toString('latin1') === '\r\n\r\n' ? data : undefined;
}

/** A reason phrase may not carry CR/LF or control characters. */
function sanitizeReason(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, ' ').slice(0, 120);
}
