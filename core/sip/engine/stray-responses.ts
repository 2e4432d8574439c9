// Responses that match no client transaction.
import type { SipResponse } from '../parser/message.ts';
import type { EngineContext } from './context.ts';
import { forwardResponse } from '../proxy/stateless-forward.ts';

export function handleStrayResponse(ctx: EngineContext, res: SipResponse): void {
  // §16.7/§18.1.2: with a second Via it was relayed by us statelessly; else it is stale and dropped.
  if (res.getLines('via').length > 1 || (res.get('via') ?? '').includes(',')) {
    if (forwardResponse(ctx, res)) return;
  }
  ctx.count('strayResponses');
}
