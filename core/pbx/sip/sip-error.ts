// An error that is also a SIP answer (like srf's SipError and Hono's HTTPException): whoever
// throws it decides the status, the one place that catches it sends it.
import type { SipHeaders, SipReply } from './context.ts';

export class SipError extends Error {
  constructor(
    readonly status: number,
    readonly reason?: string,
    readonly headers: SipHeaders = {},
  ) {
    super(`${status}${reason ? ` ${reason}` : ''}`);
    this.name = 'SipError';
  }

  toReply(): SipReply {
    return { status: this.status, reason: this.reason, headers: this.headers };
  }
}
