// The request context SIP middleware shares, shaped like Hono's Context: a read-only view of the
// request, typed variables added by middleware through declaration merging, and the reply.

export interface SipSource {
  address: string;
  port: number;
  /** Lower-case: 'udp' | 'tcp' | 'tls' | 'ws' | 'wss'. */
  transport: string;
}

/** What middleware sees of a request; built from srf's request or by tests. */
export interface SipRequestView {
  readonly method: string;
  readonly uri: string;
  readonly callId: string;
  readonly source: SipSource;
  /** Header value; several lines of one name are comma-joined (as srf delivers them). */
  get(name: string): string | undefined;
}

/** An array value goes out as one header line per element. */
export type SipHeaders = Readonly<Record<string, string | readonly string[]>>;

export interface SipReply {
  status: number;
  reason?: string;
  headers?: SipHeaders;
}

/**
 * Variables middleware leaves for later middleware. Each middleware adds its own keys:
 *   declare module '../../sip/context.ts' { interface SipVariables { authUser: AuthenticatedUser } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface SipVariables {}

export class SipContext {
  /** Set by the handler (or a middleware that answers early); sent once the chain returns. */
  res: SipReply | undefined;
  private readonly vars = new Map<keyof SipVariables, unknown>();

  constructor(readonly req: SipRequestView) {}

  set<K extends keyof SipVariables>(key: K, value: SipVariables[K]): void {
    this.vars.set(key, value);
  }

  get<K extends keyof SipVariables>(key: K): SipVariables[K] | undefined {
    return this.vars.get(key) as SipVariables[K] | undefined;
  }

  reply(status: number, reason?: string, headers?: SipHeaders): void {
    this.res = { status, reason, headers };
  }
}
