// leg.create / leg.remote / leg.offer / leg.destroy / leg.stats / call.destroy.

import type { Result } from '../control/protocol.ts';
import { asObject, optBool, optEnum, optStr, optStrArray, str, type Json } from '../control/validate.ts';
import { Leg } from '../leg/leg.ts';
import { resolveCodecs } from '../sdp/payloads.ts';
import type { Direction } from '../sdp/direction.ts';
import { badRequest } from '../util/media-error.ts';
import { Phase } from './media-clock.ts';
import { event, type EngineContext } from './context.ts';
import { detachLeg } from './detach.ts';

const DIRECTIONS: readonly Direction[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

function codecsParam(ctx: EngineContext, p: Json) {
  const names = optStrArray(p, 'codecs');
  const r = resolveCodecs(names ?? ctx.config.defaultCodecs);
  if (!r.ok) throw badRequest(r.error);
  if (!r.codecs.length) throw badRequest('no usable codec');
  return { codecs: r.codecs, explicit: names !== undefined };
}

export async function createLeg(ctx: EngineContext, raw: unknown): Promise<Result<'leg.create'>> {
  const p = asObject(raw);
  const callId = str(p, 'callId');
  const tag = optStr(p, 'tag');
  const offer = optStr(p, 'offer');
  const { codecs, explicit } = codecsParam(ctx, p);
  const policy = {
    codecs,
    dtmf: optBool(p, 'telephoneEvent') ?? true,
    direction: optEnum(p, 'direction', DIRECTIONS) ?? 'sendrecv',
    preferLocal: explicit,
  };
  const id = ctx.registry.nextId('leg');
  const init = { id, callId, policy, inbandDtmf: optEnum(p, 'inbandDtmf', ['auto', 'on', 'off'] as const) ?? 'auto' };
  const ticks = { input: (fn: () => void) => ctx.mediaClock.add(Phase.Input, fn), output: (fn: () => void) => ctx.mediaClock.add(Phase.Output, fn) };
  const leg = await Leg.create({ config: ctx.config, clock: ctx.clock, allocator: ctx.allocator, ticks }, tag === undefined ? init : { ...init, tag });
  let sdp: string;
  try {
    sdp = offer !== undefined ? leg.applyRemote(offer, 'offer')! : leg.createOffer();
  } catch (err) {
    leg.destroy();
    throw err;
  }
  register(ctx, leg);
  return { legId: id, sdp, port: leg.port };
}

function register(ctx: EngineContext, leg: Leg): void {
  ctx.registry.legs.set(leg.id, leg);
  const offs = [
    ctx.mediaClock.addHousekeeping(() => leg.housekeep()),
    leg.digit.on((d) => ctx.emit(event('dtmf', { legId: leg.id, callId: leg.callId, ...d }))),
    leg.rtpTimeout.on((silentMs) => ctx.emit(event('rtpTimeout', { legId: leg.id, callId: leg.callId, silentMs: Math.round(silentMs) }))),
  ];
  if (ctx.config.statsIntervalMs > 0) {
    const every = Math.max(1, Math.round(ctx.config.statsIntervalMs / ctx.mediaClock.tickMs));
    let n = 0;
    offs.push(ctx.mediaClock.add(Phase.After, () => ++n % every === 0 && ctx.emit(event('stats', { ...leg.stats(), final: false }))));
  }
  leg.closed.once(() => offs.forEach((off) => off()));
}

export function applyRemote(ctx: EngineContext, raw: unknown): Result<'leg.remote'> {
  const p = asObject(raw);
  const leg = ctx.registry.leg(str(p, 'legId'));
  const type = optEnum(p, 'type', ['offer', 'answer', 'pranswer'] as const);
  const answer = leg.applyRemote(str(p, 'sdp'), type);
  return answer === undefined ? {} : { sdp: answer };
}

export function offer(ctx: EngineContext, raw: unknown): Result<'leg.offer'> {
  const p = asObject(raw);
  const leg = ctx.registry.leg(str(p, 'legId'));
  const direction = optEnum(p, 'direction', DIRECTIONS);
  const change: Parameters<Leg['createOffer']>[0] = {};
  if (direction) change.direction = direction;
  if (p['codecs'] !== undefined) change.codecs = codecsParam(ctx, p).codecs;
  return { sdp: leg.createOffer(change) };
}

export function destroyLeg(ctx: EngineContext, raw: unknown): Result<'leg.destroy'> {
  const leg = ctx.registry.leg(str(asObject(raw), 'legId'));
  return { stats: destroy(ctx, leg) };
}

function destroy(ctx: EngineContext, leg: Leg) {
  detachLeg(ctx, leg);
  const stats = leg.stats();
  ctx.emit(event('stats', { ...stats, final: true }));
  leg.destroy();
  ctx.registry.legs.delete(leg.id);
  return stats;
}

export function legStats(ctx: EngineContext, raw: unknown): Result<'leg.stats'> {
  return ctx.registry.leg(str(asObject(raw), 'legId')).stats();
}

export function destroyCall(ctx: EngineContext, raw: unknown): Result<'call.destroy'> {
  const callId = str(asObject(raw), 'callId');
  const legs = [...ctx.registry.legs.values()].filter((l) => l.callId === callId);
  for (const leg of legs) destroy(ctx, leg);
  return { legs: legs.length };
}
