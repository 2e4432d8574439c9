// The slice of drachtio-srf MWI uses, typed: the SUBSCRIBE verb, responses whose echo tells the
// dialog id and our Contact, and NOTIFYs in a dialog (by its id) or outside one. srf builds no
// Dialog object for these subscriptions: RFC 6665 wants 200 (not srf's 202) with an Expires on
// every accepted SUBSCRIBE, which createUAS and srf's own in-dialog handling do not give.
import type { Clock } from '../../core/sip/util/clock.ts';
import type { SrfApp, SrfRequest, SrfSentRequest } from '../../core/pbx/srf-types.ts';

export interface SubscribeRequest extends SrfRequest {
  /** Set when the SUBSCRIBE came inside a dialog (a refresh or an unsubscribe). */
  readonly stackDialogId?: string;
}

/** The response echo srf hands back: the message as the engine put it on the wire. */
interface SentMessage {
  get(name: string): string | undefined;
}

export interface SubscribeResponse {
  readonly finalResponseSent: boolean;
  /** Set from the echo of a response that created or belongs to a dialog. */
  readonly stackDialogId?: string;
  send(status: number, reason: string | undefined, opts: { headers?: Record<string, string> }, cb: (err: unknown, sent?: SentMessage) => void): void;
}

export interface MwiRequestOptions {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Next hop for a phone behind NAT (LocatedContact.nextHop). */
  proxy?: string;
  /** Send inside this dialog; the Request-URI is then the dialog's remote target. */
  stackDialogId?: string;
}

export interface MwiSrf {
  subscribe(handler: (req: SubscribeRequest, res: SubscribeResponse) => void): void;
  request(uri: string, opts: MwiRequestOptions): Promise<SrfSentRequest>;
  on(event: 'connect', listener: (err: Error | null) => void): void;
}

export function mwiSrf(srf: SrfApp): MwiSrf {
  return srf as unknown as MwiSrf;
}

/** What the engine sent: the dialog id (for a 2xx) and the Contact it put on the response. */
export interface SentResponse {
  dialogId: string;
  contact: string | undefined;
}

/** Sends a final response; resolves once the engine confirmed it, undefined if it refused. */
export function respond(res: SubscribeResponse, status: number, reason: string | undefined, headers: Record<string, string>): Promise<SentResponse | undefined> {
  return new Promise((resolve) => {
    try {
      res.send(status, reason, { headers }, (err, sent) => {
        if (err || !sent) return resolve(undefined);
        resolve({ dialogId: res.stackDialogId ?? '', contact: sent.get('Contact') });
      });
    } catch {
      resolve(undefined); // srf throws for a response it cannot send (connection gone)
    }
  });
}

/**
 * Sends one request and resolves with its final status: 0 when the engine refused it or srf is
 * not connected, 408 when no answer comes within `timeoutMs` (the engine connection dropped;
 * set it past the engine's own Timer F, which answers 408 first).
 */
export async function sendRequest(srf: MwiSrf, uri: string, opts: MwiRequestOptions, guard: { clock: Clock; timeoutMs: number }): Promise<number> {
  let sent: SrfSentRequest;
  try {
    sent = await srf.request(uri, opts);
  } catch {
    return 0;
  }
  return new Promise<number>((resolve) => {
    const timer = guard.clock.setTimer(guard.timeoutMs, () => resolve(408));
    sent.on('response', (res) => {
      if (res.status < 200) return;
      timer.cancel();
      resolve(res.status);
    });
  });
}
