// OPTIONS addressed to the PBX (RFC 3261 §11.2): 200 with what we can do. Phones and trunks
// use it as a keep-alive and to discover capabilities, so the lists must stay truthful: the app
// builds them from the handlers it actually registered.
import type { SipMiddleware } from './sip/compose.ts';

export interface Capabilities {
  /** Methods the PBX handles. */
  allow: readonly string[];
  /** Body types it accepts. */
  accept: readonly string[];
  /** Option tags it supports (may be empty). */
  supported: readonly string[];
}

export function optionsResponder(caps: Capabilities): SipMiddleware {
  const headers = {
    Allow: caps.allow.join(', '),
    Accept: caps.accept.join(', '),
    'Accept-Encoding': 'identity',
    'Accept-Language': 'en',
    Supported: caps.supported.join(', '),
  };
  return (c) => c.reply(200, 'OK', headers);
}
