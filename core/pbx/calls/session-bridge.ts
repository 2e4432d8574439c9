// A call session joined to an answered callee dialog, until one side hangs up (or a time limit).
// Anchored calls are joined on the media server: each phone's re-INVITE is answered by its own leg,
// and hold (sendonly/inactive/c=0.0.0.0) takes the held party off the bridge and plays it music
// until unhold. Pass-through calls relay each re-INVITE to the other phone and return its answer.
// UPDATE, INFO, REFER and NOTIFY go across in both modes (RFC 3311, RFC 6086, RFC 3515).
import type { Clock } from '../../sip/util/clock.ts';
import type { Logger } from '../../sip/util/logger.ts';
import type { CallSession } from './call-session.ts';
import type { MediaLink } from './media-link.ts';
import { relayRequest } from './bridge.ts';
import { isHoldSdp } from './hold-sdp.ts';
import type { PlayItem } from './media-call.ts';
import type { SrfDialog, SrfInDialogRequest, SrfInDialogResponse } from './srf-dialogs.ts';

export type BridgeEnd = 'caller' | 'callee' | 'limit';

export interface SessionBridgeOptions {
  media: MediaLink | undefined;
  /** The callee's leg (anchored calls). */
  calleeLeg: string | undefined;
  /** Played to whoever is put on hold; false: silence. */
  holdMusic: readonly PlayItem[] | false;
  maxDurationMs: number | null;
  clock: Clock;
  log: Logger;
}

export class SessionBridge {
  readonly done: Promise<BridgeEnd>;
  #finish!: (by: BridgeEnd) => void;
  #over = false;
  #bridgeId: string | undefined;
  /** Which side put the other on hold. */
  #held = { caller: false, callee: false };

  constructor(
    private readonly session: CallSession,
    private readonly callee: SrfDialog,
    private readonly o: SessionBridgeOptions,
  ) {
    this.done = new Promise((r) => (this.#finish = r));
  }

  async start(): Promise<void> {
    const { session, callee, o } = this;
    if (o.media && o.calleeLeg && session.legId) {
      this.#bridgeId = (await o.media.client.bridge(session.legId, o.calleeLeg)).bridgeId;
    }
    callee.on('destroy', () => this.#end('callee'));
    void session.ended.then(() => this.#end('caller'));
    const limit = o.maxDurationMs === null ? undefined : o.clock.setTimer(o.maxDurationMs, () => this.#end('limit'));
    void this.done.then(() => limit?.cancel());
    session.inDialog = {
      modify: (req, res) => void this.#modify('caller', req, res),
      request: (method, req, res) => void relayRequest(method, req, res, callee, o.log),
    };
    callee.on('modify', (req, res) => void this.#modify('callee', req, res));
    for (const m of ['info', 'update', 'refer', 'notify'] as const) {
      callee.on(m, (req, res) => {
        if (!session.uas) return res.send(481);
        void relayRequest(m.toUpperCase(), req, res, session.uas, o.log);
      });
    }
    if (session.isEnded) this.#end('caller');
  }

  /** A re-INVITE from one side. */
  async #modify(from: 'caller' | 'callee', req: SrfInDialogRequest, res: SrfInDialogResponse): Promise<void> {
    const { session, callee, o } = this;
    try {
      if (!o.media) {
        const other = from === 'caller' ? callee : session.uas!;
        res.send(200, { body: await other.modify(req.body) });
        return;
      }
      const legId = from === 'caller' ? session.legId : o.calleeLeg;
      if (!legId) throw new Error('no media leg');
      const r = await o.media.client.setRemote({ legId, sdp: req.body, type: 'offer' });
      res.send(200, { body: r.sdp ?? '' });
      await this.#holdChanged(from, isHoldSdp(req.body));
    } catch (err) {
      const status = (err as { status?: number }).status ?? 500;
      o.log.info(`call ${session.callId}: re-INVITE from ${from} failed: ${(err as Error).message}`);
      res.send(status >= 400 && status < 700 ? status : 500);
    }
  }

  /** Hold takes the held party off the bridge and plays it music; unhold joins them again. */
  async #holdChanged(from: 'caller' | 'callee', hold: boolean): Promise<void> {
    const { session, o } = this;
    if (this.#held[from] === hold || !o.media || this.#over) return;
    this.#held[from] = hold;
    const client = o.media.client;
    const heldLeg = from === 'caller' ? o.calleeLeg : session.legId;
    if (!heldLeg || !session.legId || !o.calleeLeg) return;
    if (hold) {
      if (this.#bridgeId) await client.unbridge(this.#bridgeId).catch(() => undefined);
      this.#bridgeId = undefined;
      if (o.holdMusic) {
        await client.play({ legId: heldLeg, items: [...o.holdMusic], loop: true }).catch((err: Error) => o.log.warn(`call ${session.callId}: hold music: ${err.message}`));
      }
      o.log.info(`call ${session.callId}: ${from} put the other party on hold`);
    } else if (!this.#held.caller && !this.#held.callee) {
      await client.stopPlay(session.legId).catch(() => undefined);
      await client.stopPlay(o.calleeLeg).catch(() => undefined);
      this.#bridgeId = (await client.bridge(session.legId, o.calleeLeg)).bridgeId;
      o.log.info(`call ${session.callId}: resumed from hold`);
    }
  }

  #end(by: BridgeEnd): void {
    if (this.#over) return;
    this.#over = true;
    const { session, callee, o } = this;
    session.inDialog = undefined;
    callee.removeAllListeners('modify');
    if (by !== 'callee') void callee.destroy().catch(() => undefined);
    if (o.media?.connected) {
      const client = o.media.client;
      if (this.#bridgeId) void client.unbridge(this.#bridgeId).catch(() => undefined);
      if (session.legId && (this.#held.callee || this.#held.caller)) void client.stopPlay(session.legId).catch(() => undefined);
      if (o.calleeLeg) void client.destroyLeg(o.calleeLeg).catch(() => undefined);
    }
    this.#finish(by);
  }
}
