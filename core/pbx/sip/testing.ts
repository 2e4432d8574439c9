// Building requests and running middleware without srf, for unit tests.
import type { Logger } from '../../sip/util/logger.ts';
import { compose, runChain, type SipMiddleware } from './compose.ts';
import { SipContext, type SipRequestView, type SipSource } from './context.ts';

export interface FakeRequest {
  method?: string;
  uri?: string;
  callId?: string;
  source?: Partial<SipSource>;
  headers?: Record<string, string>;
}

export function fakeRequest(r: FakeRequest = {}): SipRequestView {
  const headers = new Map(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: r.method ?? 'REGISTER',
    uri: r.uri ?? 'sip:pbx.local',
    callId: r.callId ?? 'call-1',
    source: { address: '192.0.2.10', port: 5060, transport: 'udp', ...r.source },
    get: (name) => headers.get(name.toLowerCase()),
  };
}

export const silentLog: Logger = { debugEnabled: false, debug() {}, info() {}, notice() {}, warn() {}, error() {} };

/** Runs `middleware` on `req` as srfHandler would; returns the context with its reply. */
export async function runSip(middleware: readonly SipMiddleware[], req: SipRequestView, log: Logger = silentLog): Promise<SipContext> {
  const c = new SipContext(req);
  await runChain(compose(middleware), c, log);
  return c;
}

/** Header values of the reply as a list (array or single). */
export function replyHeader(c: SipContext, name: string): string[] {
  const v = Object.entries(c.res?.headers ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  return v === undefined ? [] : typeof v === 'string' ? [v] : [...v];
}
