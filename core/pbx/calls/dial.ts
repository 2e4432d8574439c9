// Dialing out of a call session: ring the targets (parallel or one after another), give the caller
// ringback meanwhile, and once someone answers join the two until one hangs up. Anchored calls
// offer the callee a fresh media leg of ours (so prompts, hold music and transcoding work);
// pass-through calls forward the caller's own SDP as the extension router always did.
import type { Clock } from '../../sip/util/clock.ts';
import type { Logger } from '../../sip/util/logger.ts';
import type { CallSession } from './call-session.ts';
import { Fork, type ForkTarget } from './fork.ts';
import type { PlayItem } from './media-call.ts';
import type { MediaLink } from './media-link.ts';
import { SessionBridge, type BridgeEnd } from './session-bridge.ts';
import type { DialogApi, SrfProvisional } from './srf-dialogs.ts';

export interface DialSpec {
  targets: readonly ForkTarget[];
  strategy: 'parallel' | 'sequential';
  /** Whole ringing time. */
  ringTimeoutMs: number;
  /** Sequential: per target, unless the target has its own. */
  perTargetTimeoutMs: number;
  /** From and To of the outgoing INVITE. */
  headers: Record<string, string>;
  /** What an answered caller hears while it rings ('ring': ringback tone; unanswered callers get 180). */
  ringback: 'ring' | { music: readonly PlayItem[] };
  holdMusic: readonly PlayItem[] | false;
  maxDurationMs: number | null;
  /** Who answered, for the result (e.g. the extension). */
  label(target: ForkTarget): string;
}

export type DialOutcome =
  | { kind: 'answered'; by: string; talkMs: number; endedBy: BridgeEnd }
  | { kind: 'failed'; status: number; reason: 'busy' | 'no-answer' | 'rejected' | 'canceled' }
  | { kind: 'hangup' };

export interface DialDeps {
  api: DialogApi;
  media: MediaLink | undefined;
  codecs: readonly string[];
  clock: Clock;
  log: Logger;
}

export async function dial(session: CallSession, spec: DialSpec, deps: DialDeps): Promise<DialOutcome> {
  if (session.isEnded) return { kind: 'hangup' };
  const anchored = deps.media !== undefined;
  let calleeLeg: string | undefined;
  let offer: string;
  if (deps.media) {
    await session.leg();
    const leg = await deps.media.client.createLeg({ callId: session.callId, tag: 'callee', codecs: [...deps.codecs] });
    calleeLeg = leg.legId;
    offer = leg.sdp;
  } else {
    offer = session.req.body;
  }
  const releaseLeg = () => {
    if (calleeLeg && deps.media?.connected) void deps.media.client.destroyLeg(calleeLeg).catch(() => undefined);
  };

  let ringbackPlaying = false;
  const onProvisional = (p: SrfProvisional) => {
    if (session.isEnded) return;
    if (session.answered || (anchored && typeof spec.ringback === 'object')) {
      if (ringbackPlaying) return;
      ringbackPlaying = true;
      const items: readonly PlayItem[] = typeof spec.ringback === 'object' ? spec.ringback.music : [{ tone: 'ringback' }];
      // Music needs early media to reach an unanswered caller.
      const start = session.answered ? Promise.resolve() : session.ring(true);
      void start.then(() => session.startPlay(items, true)).catch((err: Error) => deps.log.info(`ringback: ${err.message}`));
      return;
    }
    if (!anchored && p.status === 183 && p.body !== '') {
      if (!session.res.finalResponseSent) session.res.send(183, undefined, { body: p.body });
      session.markRinging();
      return;
    }
    void session.ring(false);
  };

  const fork = new Fork(deps.api, {
    strategy: spec.strategy,
    ringTimeoutMs: spec.ringTimeoutMs,
    perContactTimeoutMs: spec.perTargetTimeoutMs,
    localSdp: offer,
    headers: spec.headers,
    clock: deps.clock,
    onProvisional,
  });
  const offEnded = session.ended.then(() => fork.cancel());
  void offEnded;
  const result = await fork.run(spec.targets);
  if (ringbackPlaying) await session.stopPlay();
  if (result.kind === 'failed') {
    releaseLeg();
    return session.isEnded ? { kind: 'hangup' } : result;
  }
  const dialog = result.dialog;
  if (session.isEnded) {
    releaseLeg();
    void dialog.destroy().catch(() => undefined);
    return { kind: 'hangup' };
  }
  try {
    if (deps.media && calleeLeg) {
      await deps.media.client.setRemote({ legId: calleeLeg, sdp: dialog.remote.sdp, type: 'answer' });
      if (result.target.confirm && !(await confirmed(deps.media, calleeLeg, result.target.confirm, session, deps))) {
        releaseLeg();
        void dialog.destroy().catch(() => undefined);
        return session.isEnded ? { kind: 'hangup' } : { kind: 'failed', status: 480, reason: 'no-answer' };
      }
      await session.answer();
    } else {
      await session.answer(dialog.remote.sdp);
    }
  } catch (err) {
    deps.log.warn(`call ${session.callId}: cannot connect the answered callee: ${(err as Error).message}`);
    releaseLeg();
    void dialog.destroy().catch(() => undefined);
    return session.isEnded ? { kind: 'hangup' } : { kind: 'failed', status: 500, reason: 'rejected' };
  }
  const startedAt = deps.clock.now();
  const bridge = new SessionBridge(session, dialog, {
    media: deps.media, calleeLeg, holdMusic: spec.holdMusic, maxDurationMs: spec.maxDurationMs, clock: deps.clock, log: deps.log,
  });
  await bridge.start();
  const endedBy = await bridge.done;
  return { kind: 'answered', by: spec.label(result.target), talkMs: deps.clock.now() - startedAt, endedBy };
}

/** How long an answering callee has to press a key after the confirm prompt. */
const CONFIRM_MS = 10_000;

/**
 * Confirm-by-keypress: a mobile's own voicemail answering first must not win the race, so the
 * callee hears the prompt and only a key press connects the call.
 */
async function confirmed(media: MediaLink, legId: string, prompt: readonly PlayItem[], session: CallSession, deps: DialDeps): Promise<boolean> {
  let pressed!: () => void;
  const key = new Promise<'key'>((r) => (pressed = () => r('key')));
  const off = media.onDtmf(legId, () => pressed());
  let timer: { cancel(): void } | undefined;
  try {
    const { playId } = await media.client.play({ legId, items: [...prompt], bargeIn: true });
    const played = Promise.race([media.waitPlay(playId), key]);
    const first = await Promise.race([played, session.ended.then(() => 'gone' as const)]);
    if (first === 'gone') return false;
    if (first === 'key') return true;
    const timeout = new Promise<'timeout'>((r) => (timer = deps.clock.setTimer(CONFIRM_MS, () => r('timeout'))));
    return (await Promise.race([key, timeout, session.ended.then(() => 'gone' as const)])) === 'key';
  } catch (err) {
    deps.log.info(`call ${session.callId}: confirm prompt failed: ${(err as Error).message}`);
    return false;
  } finally {
    timer?.cancel();
    off();
  }
}
