// One shape for every API error: `{ "error": { "status", "message", "details"? } }` with the
// matching HTTP status (Hono's HTTPException plus a single onError).
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../../sip/util/logger.ts';

export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    message: string,
    readonly details?: string[],
  ) {
    super(status, { message });
  }
}

export function errorBody(status: number, message: string, details?: string[]) {
  return { error: { status, message, ...(details?.length ? { details } : {}) } };
}

export function onApiError(log: Logger) {
  return (err: Error, c: Context) => {
    if (err instanceof ApiError) return c.json(errorBody(err.status, err.message, err.details), err.status);
    if (err instanceof HTTPException) {
      const status = err.status as ContentfulStatusCode;
      return c.json(errorBody(status, err.message || statusText(status)), status);
    }
    log.error(`http: ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
    return c.json(errorBody(500, 'internal error'), 500);
  };
}

function statusText(status: number): string {
  return status === 413 ? 'request body too large' : `HTTP ${status}`;
}
