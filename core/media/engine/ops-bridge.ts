// bridge.create / bridge.destroy / conference.join / conference.leave / conference.mute.

import { Bridge } from '../bridge/bridge.ts';
import type { Result } from '../control/protocol.ts';
import { asObject, optBool, optStr, str } from '../control/validate.ts';
import { Mixer } from '../mixer/mixer.ts';
import { badRequest, conflict, notFound } from '../util/media-error.ts';
import type { EngineContext } from './context.ts';
import { leaveConference, unbridge } from './detach.ts';
import { Phase } from './media-clock.ts';

export function createBridge(ctx: EngineContext, raw: unknown): Result<'bridge.create'> {
  const p = asObject(raw);
  const a = ctx.registry.leg(str(p, 'legA'));
  const b = ctx.registry.leg(str(p, 'legB'));
  if (a === b && optBool(p, 'echo') !== true) throw badRequest('cannot bridge a leg to itself (use echo: true for an echo)');
  if (a !== b && optBool(p, 'echo') === true) throw badRequest('an echo joins a leg to itself: legA and legB must be the same');
  for (const leg of new Set([a, b])) {
    if (ctx.registry.bridgeOfLeg.has(leg.id)) throw conflict(`leg ${leg.id} is already bridged`);
    if (ctx.registry.confOfLeg.has(leg.id)) throw conflict(`leg ${leg.id} is in a conference`);
  }
  const id = optStr(p, 'bridgeId') ?? ctx.registry.nextId('br');
  if (ctx.registry.bridges.has(id)) throw conflict(`bridge ${id} exists`);
  const bridge = new Bridge(id, a, b);
  bridge.start();
  ctx.registry.bridges.set(id, bridge);
  ctx.registry.bridgeOfLeg.set(a.id, bridge);
  ctx.registry.bridgeOfLeg.set(b.id, bridge);
  return { bridgeId: id, modes: bridge.modes };
}

export function destroyBridge(ctx: EngineContext, raw: unknown): Result<'bridge.destroy'> {
  const bridge = ctx.registry.bridge(str(asObject(raw), 'bridgeId'));
  unbridge(ctx, bridge.a);
  return {};
}

export function joinConference(ctx: EngineContext, raw: unknown): Result<'conference.join'> {
  const p = asObject(raw);
  const confId = str(p, 'confId');
  const leg = ctx.registry.leg(str(p, 'legId'));
  if (ctx.registry.bridgeOfLeg.has(leg.id)) throw conflict(`leg ${leg.id} is bridged`);
  const current = ctx.registry.confOfLeg.get(leg.id);
  if (current === confId) throw conflict(`leg ${leg.id} is already in ${confId}`);
  if (current !== undefined) leaveConference(ctx, leg);
  let conf = ctx.registry.conferences.get(confId);
  if (!conf) {
    const mixer = new Mixer(confId, {
      ptimeMs: ctx.config.ptimeMs,
      talkThresholdDbfs: ctx.config.talkThresholdDbfs,
      tones: optBool(p, 'tones') ?? true,
      ...(ctx.sharedSend ? { sharedSend: ctx.sharedSend } : {}),
    });
    conf = { mixer, untick: ctx.mediaClock.add(Phase.Mix, () => mixer.mixOnce()) };
    ctx.registry.conferences.set(confId, conf);
  }
  conf.mixer.join(leg, optBool(p, 'muted') ?? false);
  ctx.registry.confOfLeg.set(leg.id, confId);
  return { parties: conf.mixer.size };
}

export function leave(ctx: EngineContext, raw: unknown): Result<'conference.leave'> {
  const leg = ctx.registry.leg(str(asObject(raw), 'legId'));
  if (!ctx.registry.confOfLeg.has(leg.id)) throw notFound(`leg ${leg.id} is in no conference`);
  return { parties: leaveConference(ctx, leg) };
}

export function mute(ctx: EngineContext, raw: unknown): Result<'conference.mute'> {
  const p = asObject(raw);
  const leg = ctx.registry.leg(str(p, 'legId'));
  const muted = optBool(p, 'muted');
  if (muted === undefined) throw badRequest('muted must be a boolean');
  const confId = ctx.registry.confOfLeg.get(leg.id);
  const conf = confId === undefined ? undefined : ctx.registry.conferences.get(confId);
  if (!conf) throw notFound(`leg ${leg.id} is in no conference`);
  conf.mixer.mute(leg.id, muted);
  return {};
}
