// Calls that the PBX itself handles (rather than just bridging): a dialplan runs on them, or a
// built-in service (voicemail deposit and retrieval, echo test) talks to the caller. Either way the
// call gets a session, ends cleanly whatever the code did (a dialplan that returned, threw or was
// killed), and leaves a CDR with its outcome and the dialplan's variables.
import { isIP } from 'node:net';
import type { DialplanService } from '../../../dialplan/service/dialplan-service.ts';
import type { CallInfo } from '../../../dialplan/host/call-info.ts';
import { party, seedFromId } from '../../../dialplan/host/call-info.ts';
import type { Clock } from '../../sip/util/clock.ts';
import type { Logger } from '../../sip/util/logger.ts';
import type { PbxCallHost, HostedCall } from '../dialplan-host/pbx-call-host.ts';
import type { SrfResponse } from '../srf-types.ts';
import { outcomeForStatus, type CdrStore } from '../store/cdr.ts';
import { CallSession } from './call-session.ts';
import type { MediaLink } from './media-link.ts';
import type { IncomingCall } from './router.ts';
import type { DialogApi, SrfInvite } from './srf-dialogs.ts';

/** A built-in service: talks to the caller until done (the runner hangs up afterwards). */
export type CallService = (session: CallSession, call: IncomingCall) => Promise<void>;

export interface SessionRunnerOptions {
  api: DialogApi;
  media: MediaLink | undefined;
  host: PbxCallHost;
  dialplans: DialplanService | undefined;
  services: ReadonlyMap<string, CallService>;
  cdrs: CdrStore;
  domain: string;
  clock: Clock;
  log: Logger;
}

export class SessionRunner {
  constructor(private readonly o: SessionRunnerOptions) {}

  async run(req: SrfInvite, res: SrfResponse, call: IncomingCall, cdrId: number, what: { dialplan: string } | { service: string }): Promise<void> {
    const o = this.o;
    const session = new CallSession(
      { req, res, callId: call.callId, caller: call.caller ?? userOf(call.fromHeader), callerName: displayName(call.fromHeader) },
      { api: o.api, media: o.media, log: o.log, clock: o.clock, onAnswer: (at) => o.cdrs.answered(cdrId, at) },
    );
    const hosted: HostedCall = { session, cdrId, vars: {}, pending: 0, orphaned: false };
    o.host.add(hosted);
    try {
      if ('dialplan' in what) await this.#dialplan(hosted, call, what.dialplan);
      else await this.#service(session, call, what.service);
      if (hosted.pending > 0 && !session.isEnded) hosted.orphaned = true; // the host hangs up when the op ends
      else if (!session.isEnded) await session.hangup(hosted.status ?? 480);
      const by = await session.ended;
      const status = session.answered ? 200 : hosted.status ?? (by === 'caller' ? 487 : 480);
      o.cdrs.finish(cdrId, {
        endedAt: o.clock.now(), outcome: outcomeForStatus(status), sipCode: status, reason: session.answered ? `${by === 'caller' ? 'caller' : 'pbx'} hung up` : by === 'caller' ? 'canceled' : 'rejected',
      });
    } finally {
      o.host.remove(call.callId);
    }
  }

  async #dialplan(hosted: HostedCall, call: IncomingCall, name: string): Promise<void> {
    const dialplans = this.o.dialplans;
    if (!dialplans) {
      hosted.status = 500;
      return hosted.session.reject(500, 'No Dialplan');
    }
    const outcome = await dialplans.run(name, callInfo(hosted.session, call, this.o.domain, this.o.clock.now()));
    if (outcome.result !== 'ok') this.o.log.warn(`call ${call.callId}: dialplan ${name} ${outcome.result}: ${outcome.message}${outcome.fallback ? ` (${outcome.fallback})` : ''}`);
  }

  /**
   * Runs the built-in service that `requestUri`'s user part names on a session that is already
   * under way (the dialplan retargeted it: voicemail, echo). False if it names no service.
   */
  async runService(session: CallSession, requestUri: string, numbers: ReadonlyMap<string, string>): Promise<boolean> {
    const m = /^sips?:([^@;>]+)@([^;:>?]+)/i.exec(requestUri);
    const [user, host] = [m?.[1], m?.[2]?.toLowerCase()];
    // Ours: our domain, or an address literal (phones often put the PBX's IP there).
    const ours = host === this.o.domain.toLowerCase() || (host !== undefined && (isIP(host) !== 0 || /^\[.*\]$/.test(host)));
    const name = user === undefined || !ours ? undefined : numbers.get(decodeURIComponent(user));
    if (name === undefined || !this.o.services.has(name)) return false;
    const call: IncomingCall = {
      callId: session.callId, uri: requestUri, dialed: decodeURIComponent(user!), caller: session.caller || undefined,
      fromHeader: session.req.get('From') ?? '', trusted: true,
    };
    await this.#service(session, call, name);
    return true;
  }

  async #service(session: CallSession, call: IncomingCall, name: string): Promise<void> {
    const service = this.o.services.get(name);
    if (!service) return session.reject(404, 'No Such Service');
    try {
      await service(session, call);
    } catch (err) {
      if (!session.isEnded) this.o.log.error(`call ${call.callId}: service ${name} failed: ${(err as Error).stack ?? (err as Error).message}`);
    }
  }
}

function callInfo(s: CallSession, call: IncomingCall, domain: string, now: number): CallInfo {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.req.headers ?? {})) headers[k.toLowerCase()] = String(v);
  const toUser = userOf(s.req.get('To') ?? '') || call.dialed;
  return {
    id: call.callId,
    from: withName(party(s.caller, hostOf(call.fromHeader) ?? domain), s.callerName),
    to: party(toUser, hostOf(s.req.get('To') ?? '') ?? domain),
    requestUri: call.uri,
    dialed: call.dialed,
    direction: call.caller !== undefined ? 'internal' : 'inbound',
    headers,
    startedAt: now,
    seed: seedFromId(call.callId),
  };
}

function withName<P extends { user: string }>(p: P, name: string | undefined): P {
  return name === undefined ? p : { ...p, name };
}

function userOf(h: string): string {
  return /sips?:([^@;>]+)@/i.exec(h)?.[1] ?? '';
}

function hostOf(h: string): string | undefined {
  return /sips?:(?:[^@;>]+@)?([^;>:?]+)/i.exec(h)?.[1];
}

function displayName(from: string): string | undefined {
  const m = /^\s*"((?:[^"\\]|\\.)*)"\s*</.exec(from) ?? /^\s*([^<"]+?)\s*</.exec(from);
  return m?.[1] ? m[1].replace(/\\(.)/g, '$1') : undefined;
}
