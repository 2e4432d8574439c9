// Where a call goes. The router is the seam the dialplan plugs into later: today's default
// "dial the extension" is one implementation of `Router`, a dialplan will be another.
import type { LocationService, LocatedContact } from '../location/location-service.ts';
import type { UserStore } from '../store/users.ts';
import type { ForkTarget } from './fork.ts';

export interface IncomingCall {
  callId: string;
  /** Request-URI as received. */
  uri: string;
  /** User part of the Request-URI (the dialed number). */
  dialed: string;
  /** Authenticated extension of the caller, or undefined for a trusted trunk. */
  caller: string | undefined;
  fromHeader: string;
  /** Came from a trusted trunk or from the PBX itself (not authenticated as an extension). */
  trusted: boolean;
}

export type RouteDecision =
  | { kind: 'dial'; callee: string; targets: ForkTarget[]; strategy: 'parallel' | 'sequential' }
  | { kind: 'redirect'; callee: string; contacts: string[] }
  | { kind: 'reject'; status: number; reason?: string }
  /** Run the named dialplan on the call. */
  | { kind: 'dialplan'; name: string }
  /** A built-in service of the PBX answers the call (voicemail, echo test). */
  | { kind: 'service'; service: string };

export interface Router {
  route(call: IncomingCall): Promise<RouteDecision>;
}

export interface ExtensionRouterOptions {
  users: UserStore;
  location: LocationService;
  strategy: 'parallel' | 'sequential';
  /** Extensions answered with 302 and their contacts instead of being bridged (redirect server). */
  redirect: ReadonlySet<string>;
}

/** The default route: the dialed number is an extension; ring its registered phones. */
export function extensionRouter(opts: ExtensionRouterOptions): Router {
  return {
    async route(call) {
      const user = opts.users.get(call.dialed);
      if (!user || !user.enabled) return { kind: 'reject', status: 404, reason: 'Not Found' };
      const contacts = (await opts.location.lookup(call.dialed)).filter((c) => c.reachable !== false);
      if (contacts.length === 0) return { kind: 'reject', status: 480, reason: 'Not Registered' };
      if (opts.redirect.has(call.dialed)) return { kind: 'redirect', callee: call.dialed, contacts: contacts.map((c) => c.uri) };
      return { kind: 'dial', callee: call.dialed, targets: contacts.map(toTarget), strategy: opts.strategy };
    },
  };
}

function toTarget(c: LocatedContact): ForkTarget {
  return { uri: c.uri, nextHop: c.nextHop };
}

/** Built-in services by the user part they answer (e.g. 'voicemail', '*97'), then `next`. */
export function serviceRouter(services: ReadonlyMap<string, string>, next: Router): Router {
  return {
    route(call) {
      const service = services.get(call.dialed);
      return service ? Promise.resolve({ kind: 'service', service }) : next.route(call);
    },
  };
}

/** Calls run the dialplan routed for their dialed number, else `entry`. */
export function dialplanRouter(entry: string, routes: Readonly<Record<string, string>> = {}): Router {
  return { route: (call) => Promise.resolve({ kind: 'dialplan', name: Object.hasOwn(routes, call.dialed) ? routes[call.dialed]! : entry }) };
}
