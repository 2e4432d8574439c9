// An error that is also a SIP answer (like srf's SipError and Hono's HTTPException): whoever
// throws it decides the status, the one place that catches it sends it.
import type { SipHeaders, SipReply } from './context.ts';

export class SipError extends Error {
  readonly status: number;
  readonly reason: string | undefined;
  readonly headers: SipHeaders;

  constructor(status: number, reason?: string, headers: SipHeaders = {}) {
    // Every first REGISTER and INVITE of a phone ends in one (the 401/407 challenge): an answer,
    // not a fault, so it skips the stack trace, which costs more than the rest of the challenge.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`${status}${reason ? ` ${reason}` : ''}`);
    Error.stackTraceLimit = limit;
    this.name = 'SipError';
    this.status = status;
    this.reason = reason;
    this.headers = headers;
  }

  toReply(): SipReply {
    return { status: this.status, reason: this.reason, headers: this.headers };
  }
}
