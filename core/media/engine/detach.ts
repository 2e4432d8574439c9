// Taking a leg out of whatever it is part of, before it is destroyed or moved elsewhere.

import type { Leg } from '../leg/leg.ts';
import type { EngineContext } from './context.ts';

export function leaveConference(ctx: EngineContext, leg: Leg): number {
  const confId = ctx.registry.confOfLeg.get(leg.id);
  if (confId === undefined) return 0;
  ctx.registry.confOfLeg.delete(leg.id);
  const conf = ctx.registry.conferences.get(confId);
  if (!conf) return 0;
  conf.mixer.leave(leg.id);
  if (conf.mixer.size === 0) {
    conf.untick();
    conf.mixer.destroy();
    ctx.registry.conferences.delete(confId);
  }
  return conf.mixer.size;
}

export function unbridge(ctx: EngineContext, leg: Leg): void {
  const bridge = ctx.registry.bridgeOfLeg.get(leg.id);
  if (!bridge) return;
  bridge.destroy();
  ctx.registry.bridges.delete(bridge.id);
  ctx.registry.bridgeOfLeg.delete(bridge.a.id);
  ctx.registry.bridgeOfLeg.delete(bridge.b.id);
}

export function detachLeg(ctx: EngineContext, leg: Leg): void {
  ctx.registry.players.get(leg.id)?.stop('hangup');
  leaveConference(ctx, leg);
  unbridge(ctx, leg);
}
