// An INVITE to the PBX: authenticate the caller (407) unless it is a trusted trunk, ask the router,
// then reject, redirect (302) or ring the callee's phones and bridge the answered call as a B2BUA.
// Every call leaves a CDR row whatever its outcome.
import type { Clock } from '../../sip/util/clock.ts';
import type { Logger } from '../../sip/util/logger.ts';
import { compose, runChain, type SipMiddleware } from '../sip/compose.ts';
import { SipContext, type SipRequestView } from '../sip/context.ts';
import { requestView, srfHeaders } from '../sip/srf-adapter.ts';
import type { SrfResponse } from '../srf-types.ts';
import { outcomeForStatus, type CdrStore } from '../store/cdr.ts';
import { bridge } from './bridge.ts';
import { Fork } from './fork.ts';
import type { Router } from './router.ts';
import type { SessionRunner } from './session-runner.ts';
import type { DialogApi, SrfInvite, SrfProvisional } from './srf-dialogs.ts';

export interface InviteHandlerOptions {
  api: DialogApi;
  router: Router;
  cdrs: CdrStore;
  /** Authentication chain for callers that are not trusted trunks (throttle, digest with 407). */
  auth: readonly SipMiddleware[];
  /** Source addresses whose INVITEs are accepted without credentials (trunks, peers). */
  trustedSources: ReadonlySet<string>;
  /** Runs dialplan and service routes; without it those routes get 500. */
  sessions?: SessionRunner;
  ringTimeoutMs: number;
  perContactTimeoutMs: number;
  clock: Clock;
  log: Logger;
}

export function inviteHandler(o: InviteHandlerOptions): (req: SrfInvite, res: SrfResponse) => void {
  const authChain = compose([...o.auth, (c) => c.reply(100)]);
  return (req, res) => {
    void (async () => {
      const trusted = o.trustedSources.has(req.source_address);
      const view = requestView(req);
      let caller: string | undefined;
      if (!trusted) {
        const c = new SipContext(view);
        await runChain(authChain, c, o.log);
        if (!c.res || c.res.status !== 100) {
          const r = c.res ?? { status: 500 };
          return res.send(r.status, r.reason, { headers: srfHeaders(r.headers) });
        }
        caller = c.get('authUser')?.username;
      }
      await placeCall(o, req, view, res, caller, trusted);
    })().catch((err: Error) => {
      o.log.error(`INVITE ${req.get('Call-ID')}: ${err.stack ?? err.message}`);
      if (!res.finalResponseSent) res.send(500, undefined, {});
    });
  };
}

async function placeCall(o: InviteHandlerOptions, req: SrfInvite, view: SipRequestView, res: SrfResponse, caller: string | undefined, trusted: boolean): Promise<void> {
  const callId = view.callId;
  const from = view.get('From') ?? '';
  const dialed = userOf(req.uri);
  const cdr = o.cdrs.start({ callId, caller: caller ?? userOf(from), callee: dialed, startedAt: o.clock.now() });
  const finish = (status: number, reason?: string) =>
    o.cdrs.finish(cdr, { endedAt: o.clock.now(), outcome: outcomeForStatus(status), sipCode: status, ...(reason ? { reason } : {}) });

  const call = { callId, uri: req.uri, dialed, caller, fromHeader: from, trusted };
  const decision = await o.router.route(call);
  if (decision.kind === 'dialplan' || decision.kind === 'service') {
    if (!o.sessions) {
      res.send(500, 'No Dialplan Runtime', {});
      return void finish(500, 'no dialplan runtime');
    }
    return o.sessions.run(req, res, call, cdr, decision.kind === 'dialplan' ? { dialplan: decision.name } : { service: decision.service });
  }
  if (decision.kind === 'reject') {
    res.send(decision.status, decision.reason, {});
    return void finish(decision.status, decision.reason);
  }
  if (decision.kind === 'redirect') {
    res.send(302, undefined, { headers: { Contact: decision.contacts.map((c) => `<${c}>`).join(', ') } });
    return void finish(302, 'redirected');
  }

  let canceled = false;
  const sentProvisional = new Set<number>();
  const fork = new Fork(o.api, {
    strategy: decision.strategy,
    ringTimeoutMs: o.ringTimeoutMs,
    perContactTimeoutMs: o.perContactTimeoutMs,
    localSdp: req.body,
    headers: { From: from, To: `<sip:${decision.callee}@${hostOf(req.uri)}>` },
    clock: o.clock,
    onProvisional: (p) => relayProvisional(p, res, sentProvisional, () => canceled),
  });
  req.on('cancel', () => {
    canceled = true;
    fork.cancel();
  });
  const result = await fork.run(decision.targets);
  if (result.kind === 'failed') {
    // After a caller CANCEL the engine already answered 487; srf would refuse a second final.
    if (!canceled && !res.finalResponseSent) res.send(result.status, undefined, {});
    return void finish(canceled ? 487 : result.status, result.reason);
  }
  if (canceled) {
    void result.dialog.destroy();
    return void finish(487, 'canceled');
  }
  const uas = await o.api.createUAS(req, res, { localSdp: result.dialog.remote.sdp });
  o.cdrs.answered(cdr, o.clock.now());
  bridge(uas, result.dialog, { ended: (by) => void finish(200, `${by} hung up`) }, o.log);
}

function relayProvisional(p: SrfProvisional, res: SrfResponse, sent: Set<number>, canceled: () => boolean): void {
  // Early media (183 with SDP) is passed on with its body; any other progress as 180 Ringing.
  const early = p.status === 183 && p.body !== '';
  const code = early ? 183 : 180;
  if (canceled() || res.finalResponseSent || sent.has(code)) return;
  sent.add(code);
  res.send(code, undefined, early ? { body: p.body } : {});
}

function userOf(uriOrHeader: string): string {
  return /sips?:([^@;>]+)@/i.exec(uriOrHeader)?.[1] ?? '';
}

function hostOf(uri: string): string {
  return /@([^;>?]+)/.exec(uri)?.[1] ?? 'localhost';
}
