// One error type for the pages and the API: the status and a message fit to show. The API answers
// in the PBX's JSON error shape, pages with a small HTML page.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { errorBody } from '../../core/pbx/http/errors.ts';
import type { Logger } from '../../core/sip/util/logger.ts';
import { isApiPath } from './paths.ts';
import { errorView } from './views/error-view.ts';

export class WebError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(status, { message });
  }
}

/** Unknown and foreign message ids get the same answer, so ids of other mailboxes cannot be probed. */
export const noSuchMessage = () => new WebError(404, 'no such message');

export function onWebError(log: Logger) {
  return (err: Error, c: Context) => {
    let status: ContentfulStatusCode = 500;
    let message = 'internal error';
    if (err instanceof HTTPException) {
      status = err.status as ContentfulStatusCode;
      message = err.message || `HTTP ${status}`;
      if (err instanceof WebError) for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    } else {
      log.error(`voicemail web: ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
    }
    if (isApiPath(c.req.path)) return c.json(errorBody(status, message), status);
    return c.html(errorView(c, status, message), status);
  };
}
