// The media server: the engine (registry, media clock, ports, prompts) behind one typed request
// handler and one event stream. The control socket (control/control-server.ts) and tests both
// drive it through `handle`.

import type { MediaConfig } from './config.ts';
import type { MediaEvent, Op, Request, Result, ServerStatus } from './control/protocol.ts';
import type { EngineContext } from './engine/context.ts';
import { MediaClock } from './engine/media-clock.ts';
import { createBridge, destroyBridge, joinConference, leave, mute } from './engine/ops-bridge.ts';
import { applyRemote, createLeg, destroyCall, destroyLeg, legStats, offer } from './engine/ops-legs.ts';
import { play, record, sendDtmf, stopPlay, stopRecord } from './engine/ops-media.ts';
import { Registry } from './engine/registry.ts';
import { PromptCache } from './player/prompt-cache.ts';
import { PortAllocator } from './rtp/port-allocator.ts';
import { createUdpTransport } from './rtp/udp-transports.ts';
import type { UdpTransport } from './rtp/udp-transport.ts';
import { realClock, type Clock } from './util/clock.ts';
import { Event } from './util/event.ts';
import { badRequest } from './util/media-error.ts';

type Handler<K extends Op> = (ctx: EngineContext, params: unknown) => Result<K> | Promise<Result<K>>;

export class MediaServer {
  readonly events = new Event<[MediaEvent]>();
  private readonly ctx: EngineContext;
  private readonly started: number;
  private readonly handlers: { [K in Op]: Handler<K> };
  readonly udp: UdpTransport;

  constructor(
    readonly config: MediaConfig,
    clock: Clock = realClock,
  ) {
    const registry = new Registry();
    this.udp = createUdpTransport(config.udpIo, { sendThread: config.udpSendThread });
    this.started = clock.now();
    this.ctx = {
      config,
      clock,
      registry,
      mediaClock: new MediaClock(clock, config.ptimeMs, config.maxCatchUpTicks, undefined, config.housekeepingMs / config.ptimeMs),
      allocator: new PortAllocator(config.portMin, config.portMax, config.bindIp, this.udp),
      prompts: new PromptCache(config.soundDirs, config.promptCacheBytes),
      ...(this.udp.sharedSend ? { sharedSend: () => this.udp.sharedSend!() } : {}),
      emit: (e) => this.events.emit(e),
    };
    this.handlers = {
      ping: () => ({ uptimeMs: Math.round(clock.now() - this.started), pid: process.pid }),
      status: () => this.status(),
      'leg.create': createLeg,
      'leg.remote': applyRemote,
      'leg.offer': offer,
      'leg.destroy': destroyLeg,
      'leg.stats': legStats,
      'call.destroy': destroyCall,
      'bridge.create': createBridge,
      'bridge.destroy': destroyBridge,
      'conference.join': joinConference,
      'conference.leave': leave,
      'conference.mute': mute,
      'play.start': play,
      'play.stop': stopPlay,
      'record.start': record,
      'record.stop': stopRecord,
      'dtmf.send': sendDtmf,
    };
  }

  get mediaClock(): MediaClock {
    return this.ctx.mediaClock;
  }

  start(): void {
    this.ctx.mediaClock.start();
  }

  async handle(op: string, params: unknown): Promise<unknown> {
    if (!Object.hasOwn(this.handlers, op)) throw badRequest(`unknown op ${op}`);
    const handler = this.handlers[op as Op] as Handler<Op>;
    return handler(this.ctx, params ?? {});
  }

  /** Typed convenience for in-process callers. */
  request<K extends Op>(op: K, params: Extract<Request, { op: K }>['params']): Promise<Result<K>> {
    return this.handle(op, params) as Promise<Result<K>>;
  }

  status(): ServerStatus {
    const r = this.ctx.registry;
    return {
      pid: process.pid,
      legs: r.legs.size,
      bridges: r.bridges.size,
      conferences: r.conferences.size,
      players: r.players.size,
      recorders: r.recorders.size,
      portsInUse: this.ctx.allocator.allocated,
      clock: { ...this.ctx.mediaClock.stats },
      mixers: [...r.conferences.values()].map((c) => ({ ...c.mixer.stats })),
      udpIo: this.udp.kind,
      ...(this.udp.counters ? { udpCounters: this.udp.counters() } : {}),
    };
  }

  /** Stop everything: recordings are finished (files closed), legs destroyed, ports freed. */
  async close(): Promise<void> {
    this.ctx.mediaClock.stop();
    const r = this.ctx.registry;
    await Promise.all([...r.recorders.values()].map((e) => e.recorder.stop('stopped')));
    for (const id of [...r.legs.keys()]) await this.handle('leg.destroy', { legId: id });
    this.udp.close();
  }
}
