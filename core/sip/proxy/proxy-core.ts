// Stateful proxy core (RFC 3261 §16; drachtio §3.10): `req.proxy()` with serial or simultaneous
// forking, Record-Route, Max-Forwards, Timer C, provisional timeout, best-response selection.
import type { SipRequest, SipResponse } from '../parser/message.ts';
import { parseUri, parseContacts, serializeMessage } from '../parser/index.ts';
import type { AppFrame } from '../drachtio/admin-server.ts';
import type { AppConnection } from '../drachtio/app-connection.ts';
import { readAppMessage } from '../drachtio/app-message.ts';
import { proxyResponseFrame } from '../drachtio/frames.ts';
import { InviteServerTransaction } from '../transaction/server-invite-transaction.ts';
import type { ServerTransaction } from '../transaction/transaction-layer.ts';
import type { EngineContext, IncomingRequest } from '../engine/context.ts';
import { responseFor } from '../engine/build.ts';
import { settleIncoming } from '../engine/incoming.ts';
import { ProxyBranch } from './proxy-branch.ts';
import { bestResponse } from './best-response.ts';
import { prepareBranchRequest } from './branch-request.ts';

export interface ProxyOptions {
  recordRoute: boolean;
  followRedirects: boolean;
  simultaneous: boolean;
  provisionalTimeoutMs: number;
  targets: string[];
  appHeaders: { name: string; value: string }[];
}

export class ProxyCore {
  private readonly active = new Map<ServerTransaction, ProxySession>();

  constructor(private readonly ctx: EngineContext) {}

  get size(): number {
    return this.active.size;
  }

  start(app: AppConnection, f: AppFrame): void {
    const [txnId = '', remain, , follow, mode, provT, , ...dests] = f.meta;
    const inc = this.ctx.incoming.get(txnId);
    if (!inc || inc.finalSent) return app.reply(f.msgId, `NOK|Unknown transaction id: ${txnId}`);
    const stub = readAppMessage(f.body);
    const opts: ProxyOptions = {
      recordRoute: remain === 'remainInDialog',
      followRedirects: follow === 'followRedirects',
      simultaneous: mode === 'simultaneous',
      provisionalTimeoutMs: parseDuration(provT ?? ''),
      targets: dests.filter(Boolean),
      appHeaders: stub.ok ? stub.value.headers : [],
    };
    // The app no longer answers this request itself: the proxy owns the server transaction.
    settleIncoming(this.ctx, inc);
    const mf = Number(inc.req.get('max-forwards') ?? '70');
    if (mf <= 0) {
      inc.stx.respond(responseFor(inc.req, 483, undefined, 'proxy'));
      return app.reply(f.msgId, 'NOK|Too Many Hops');
    }
    if (opts.targets.length === 0) opts.targets.push(inc.req.uri);
    const session = new ProxySession(this.ctx, inc, opts, app, f.msgId, () => this.active.delete(inc.stx));
    this.active.set(inc.stx, session);
    session.begin();
  }

  /** Upstream CANCEL for a proxied INVITE (§16.10). */
  handleCancel(stx: InviteServerTransaction, _cancel: SipRequest): boolean {
    const s = this.active.get(stx);
    if (!s) return false;
    s.cancelAll(true);
    return true;
  }

  shutdown(): void {
    for (const s of this.active.values()) s.abort();
    this.active.clear();
  }
}

class ProxySession {
  private readonly branches: ProxyBranch[] = [];
  private readonly pending: string[];
  private readonly finals: { res: SipResponse; bytes: Buffer; from: ProxyBranch | undefined }[] = [];
  private done = false;
  private answered = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly inc: IncomingRequest,
    private readonly opts: ProxyOptions,
    private readonly app: AppConnection,
    private readonly msgId: string,
    private readonly onEnd: () => void,
  ) {
    this.pending = [...opts.targets];
  }

  begin(): void {
    if (this.opts.simultaneous) while (this.pending.length) this.fork(this.pending.shift()!);
    else this.next();
  }

  private next(): void {
    const target = this.pending.shift();
    if (target === undefined) return this.maybeFinish();
    this.fork(target);
  }

  private fork(target: string): void {
    const req = prepareBranchRequest(this.ctx, this.inc, target, this.opts);
    if (!req) {
      this.finals.push({ res: responseFor(this.inc.req, 400, 'Bad Proxy Target'), bytes: Buffer.alloc(0), from: undefined });
      return this.opts.simultaneous ? this.maybeFinish() : this.next();
    }
    const branch = new ProxyBranch(this.ctx, req.request, req.branch, req.dest, {
      onProvisional: (res) => this.onProvisional(branch, res),
      onFinal: (res) => this.onFinal(branch, res),
      onProvisionalTimeout: () => {
        // drachtio `provisionalTimeout`: no response in time → try the next serial target.
        branch.cancel();
        if (!this.opts.simultaneous) this.next();
      },
    }, this.inc.req.method === 'INVITE' ? this.opts.provisionalTimeoutMs : 0);
    this.branches.push(branch);
    branch.start();
  }

  private upstream(res: SipResponse): Buffer | undefined {
    // Strip our Via; what remains addresses the upstream client.
    const idx = res.headers.findIndex((h) => h.name === 'via');
    if (idx >= 0) {
      const h = res.headers[idx]!;
      const comma = h.value.indexOf(',');
      if (comma >= 0 && !h.value.slice(0, comma).includes('"')) h.value = h.value.slice(comma + 1).trim();
      else res.headers.splice(idx, 1);
    }
    const sent = this.inc.stx.respond(res);
    if (sent) return sent;
    // After a first 2xx the transaction is Accepted; later 2xx still go up (§16.7 step 5).
    if (res.status >= 200 && res.status < 300) return this.ctx.sendRaw(res, this.inc.stx.dest);
    return undefined;
  }

  private onProvisional(_b: ProxyBranch, res: SipResponse): void {
    if (res.status === 100 || this.done) return;
    this.upstream(res);
  }

  private onFinal(branch: ProxyBranch, res: SipResponse): void {
    if (this.done) return;
    const status = res.status;
    if (status >= 200 && status < 300) {
      this.answered = true;
      const bytes = serializeMessage(res);
      this.upstream(res);
      this.report(bytes, branch);
      this.cancelAll(false, 'SIP;cause=200;text="Call completed elsewhere"');
      return this.finish();
    }
    if (status >= 300 && status < 400 && this.opts.followRedirects) {
      for (const uri of redirectTargets(res)) this.pending.push(uri);
    }
    this.finals.push({ res, bytes: serializeMessage(res), from: branch });
    // A challenge ends the search and goes up as is (drachtio §3.10).
    if (status === 401 || status === 407) {
      this.cancelAll(false);
      this.pending.length = 0;
    }
    if (this.opts.simultaneous) {
      while (this.pending.length) this.fork(this.pending.shift()!);
      this.maybeFinish();
    } else if (status >= 600) {
      // §16.7 step 5: a 6xx ends the search.
      this.pending.length = 0;
      this.maybeFinish();
    } else {
      this.next();
    }
  }

  private maybeFinish(): void {
    if (this.done || this.answered) return;
    if (this.pending.length > 0 || this.branches.some((b) => !b.finished)) return;
    const best = bestResponse(this.finals.map((f) => f.res));
    const res = best ?? responseFor(this.inc.req, 408, undefined, 'proxy');
    for (const f of this.finals) if (f.res !== best) this.report(f.bytes, f.from);
    const chosen = this.finals.find((f) => f.res === best);
    if (chosen) this.report(chosen.bytes, chosen.from);
    this.upstream(res.clone());
    this.finish();
  }

  private report(bytes: Buffer, from: ProxyBranch | undefined): void {
    if (this.app.closed || bytes.length === 0) return;
    const dest = from?.dest ?? this.inc.stx.dest;
    this.app.reply(this.msgId, proxyResponseFrame(bytes, dest));
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (!this.app.closed) this.app.reply(this.msgId, 'OK|done');
    this.onEnd();
  }

  cancelAll(upstreamCanceled: boolean, reason?: string): void {
    this.pending.length = 0;
    for (const b of this.branches) b.cancel(reason);
    if (upstreamCanceled && !this.done) {
      this.upstream(responseFor(this.inc.req, 487, undefined, 'proxy'));
      this.finish();
    }
  }

  abort(): void {
    for (const b of this.branches) b.cancel();
    this.done = true;
  }
}

function redirectTargets(res: SipResponse): string[] {
  const out: string[] = [];
  for (const line of res.getLines('contact')) {
    const c = parseContacts(line);
    if (c.ok && c.value !== '*') for (const na of c.value) if (parseUri(na.uri).ok) out.push(na.uri);
  }
  return out;
}

function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/.exec(s.trim());
  if (!m) return 0;
  return m[2] === 'ms' ? Number(m[1]) : Number(m[1]) * 1000;
}

