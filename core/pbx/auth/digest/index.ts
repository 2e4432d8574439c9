// Digest authentication as SIP middleware (RFC 3261 §22, RFC 7616, RFC 8760): challenges with
// 401/WWW-Authenticate for a registrar, or 407/Proxy-Authenticate for requests the PBX
// forwards (INVITE), and leaves the authenticated user in `c.get('authUser')`.
//
//   const chain = [rejectBlocked(throttle), digestAuth({ realm, users, nonces, throttle }), handler];
import type { Logger } from '../../../sip/util/logger.ts';
import type { SipMiddleware } from '../../sip/compose.ts';
import { SipError } from '../../sip/sip-error.ts';
import type { FailureThrottle } from '../throttle/index.ts';
import type { DigestHash } from './algorithms.ts';
import { formatChallenge, parseAuthValues, type AuthValue } from './header.ts';
import type { NonceService } from './nonce.ts';
import { verifyCredential, type CredentialLookup } from './verify.ts';

export interface AuthenticatedUser {
  username: string;
  realm: string;
  /** As the client named it: `MD5`, `SHA-256`, … */
  algorithm: string;
}

declare module '../../sip/context.ts' {
  interface SipVariables {
    authUser: AuthenticatedUser;
  }
}

export interface DigestAuthOptions {
  realm: string;
  users: CredentialLookup;
  nonces: NonceService;
  /** Offered in this order, one challenge header each (pbx.auth.algorithms). */
  algorithms: readonly DigestHash[];
  /** 407 with Proxy-Authenticate, reading Proxy-Authorization (for INVITE through the PBX). */
  proxy?: boolean;
  /** Records wrong credentials per source IP (pair with rejectBlocked()). */
  throttle?: FailureThrottle;
  log?: Logger;
}

export function digestAuth(opts: DigestAuthOptions): SipMiddleware {
  const offered = opts.algorithms;
  const status = opts.proxy ? 407 : 401;
  const reason = opts.proxy ? 'Proxy Authentication Required' : 'Unauthorized';
  const challengeHeader = opts.proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate';
  const credentialHeader = opts.proxy ? 'Proxy-Authorization' : 'Authorization';

  const challenge = (stale: boolean): SipError => {
    const nonce = opts.nonces.issue();
    const values = offered.map((algorithm) => formatChallenge({ realm: opts.realm, nonce, algorithm, stale }));
    return new SipError(status, reason, { [challengeHeader]: values });
  };

  return async (c, next) => {
    const source = c.req.source.address;
    const cred = ourCredential(parseAuthValues(c.req.get(credentialHeader) ?? ''), opts.realm);
    if (!cred) throw challenge(false); // the normal first request of every phone
    const v = verifyCredential({ params: cred.params, method: c.req.method, realm: opts.realm, offered, users: opts.users });
    switch (v.kind) {
      case 'malformed':
        throw new SipError(400, 'Malformed Authorization');
      case 'unusable':
        opts.log?.info(`auth: ${c.req.method} from ${source}: unusable credentials (${v.why}); challenging again`);
        throw challenge(false);
      case 'mismatch':
        opts.throttle?.failed(source, `${c.req.method} user ${JSON.stringify(v.username)}`);
        throw challenge(false);
      case 'match': {
        const fresh = opts.nonces.use(v.nonce, v.nc);
        // Right password with an old or reused nonce: stale=true lets the phone retry at once.
        if (fresh !== 'fresh') {
          if (fresh === 'replay') opts.log?.notice(`auth: replayed nonce count from ${source} for ${JSON.stringify(v.username)}`);
          throw challenge(true);
        }
        opts.throttle?.succeeded(source);
        c.set('authUser', { username: v.username, realm: opts.realm, algorithm: v.algorithm });
        await next();
      }
    }
  };
}

/** The Digest credential for our realm (a request may carry others for other realms, §22.4). */
function ourCredential(values: AuthValue[], realm: string): AuthValue | undefined {
  return values.find((v) => v.scheme.toLowerCase() === 'digest' && v.params.get('realm') === realm);
}

export { NonceService } from './nonce.ts';
export type { CredentialLookup } from './verify.ts';
export type { DigestHash } from './algorithms.ts';
