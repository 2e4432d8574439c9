// Two dialogs of one call joined back to back: hang-ups, re-INVITEs (hold/unhold), UPDATE and
// INFO (DTMF) pass from each side to the other (RFC 3261 §14, RFC 3311, RFC 6086).
import type { Logger } from '../../sip/util/logger.ts';
import type { SrfDialog, SrfInDialogRequest, SrfInDialogResponse } from './srf-dialogs.ts';

export interface BridgeEvents {
  /** Either side hung up; `by` is the side that sent the BYE. */
  ended(by: 'caller' | 'callee'): void;
}

/** Headers worth carrying across; the dialogs own the rest. */
const RELAYED = ['Content-Type', 'Info-Package', 'Content-Disposition', 'Event', 'Subscription-State', 'Refer-To', 'Referred-By', 'Replaces'];

export function bridge(caller: SrfDialog, callee: SrfDialog, events: BridgeEvents, log: Logger): void {
  let over = false;
  const end = (by: 'caller' | 'callee', other: SrfDialog) => {
    if (over) return;
    over = true;
    other.destroy().catch(() => {});
    events.ended(by);
  };
  caller.on('destroy', () => end('caller', callee));
  callee.on('destroy', () => end('callee', caller));
  for (const [from, to] of [[caller, callee], [callee, caller]] as const) {
    // A re-INVITE (hold: a=sendonly/inactive or c=0.0.0.0; unhold: sendrecv) is offered to the
    // other side and its answer returned, so both phones agree on the media state.
    from.on('modify', (req, res) => void relayModify(req, res, to, log));
    from.on('info', (req, res) => void relayRequest('INFO', req, res, to, log));
    from.on('update', (req, res) => void relayRequest('UPDATE', req, res, to, log));
    // Blind transfer (RFC 3515): the REFER goes to the other party, who becomes the transferee
    // and calls the Refer-To target through the PBX; its NOTIFY sipfrags flow back the same way.
    from.on('refer', (req, res) => void relayRequest('REFER', req, res, to, log));
    from.on('notify', (req, res) => void relayRequest('NOTIFY', req, res, to, log));
  }
}

async function relayModify(req: SrfInDialogRequest, res: SrfInDialogResponse, to: SrfDialog, log: Logger): Promise<void> {
  try {
    const answer = await to.modify(req.body);
    res.send(200, { body: answer });
  } catch (err) {
    const status = (err as { status?: number }).status ?? 500;
    log.info(`re-INVITE relay failed with ${status}`);
    res.send(status >= 400 ? status : 500);
  }
}

/** An in-dialog request passed to the other dialog, with the headers that mean something across; its status comes back. */
export async function relayRequest(method: string, req: SrfInDialogRequest, res: SrfInDialogResponse, to: SrfDialog, log: Logger): Promise<void> {
  const headers: Record<string, string> = {};
  for (const h of RELAYED) {
    const v = req.get(h);
    if (v !== undefined) headers[h] = v;
  }
  try {
    const r = await to.request({ method, headers, ...(req.body ? { body: req.body } : {}) });
    res.send(r.status);
  } catch (err) {
    log.info(`${method} relay failed: ${(err as Error).message}`);
    res.send(500);
  }
}
