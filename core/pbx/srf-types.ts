// The part of drachtio-srf the PBX uses, typed. srf's own .d.ts is loose (and partly wrong about
// what arrives: it promises a `callId` that does not exist), so everything past this file works with these interfaces; this is the one
// place where srf's untyped objects are taken in.
import Srf from 'drachtio-srf';

/** An incoming request as srf hands it to a verb handler. */
export interface SrfRequest {
  readonly method: string;
  readonly uri: string;
  /** Address and port the request came from (after NAT), as the engine saw it. */
  readonly source_address: string;
  readonly source_port: number;
  /** 'udp' | 'tcp' | 'tls' | 'ws' | 'wss' */
  readonly protocol: string;
  /** Header value; several lines of one name arrive comma-joined. */
  get(name: string): string | undefined;
  has(name: string): boolean;
}

export interface SrfSendOptions {
  headers?: Record<string, string>;
  body?: string;
}

export interface SrfResponse {
  send(status: number, reason: string | undefined, opts: SrfSendOptions): void;
  readonly finalResponseSent: boolean;
}

export type SrfHandler = (req: SrfRequest, res: SrfResponse) => void;

/** A response to a request the app sent. */
export interface SrfIncomingResponse {
  readonly status: number;
  readonly reason: string;
  get(name: string): string | undefined;
}

/** The request srf.request() sent; its final response arrives as an event. */
export interface SrfSentRequest {
  on(event: 'response', listener: (res: SrfIncomingResponse) => void): void;
}

export interface SrfRequestOptions {
  method: string;
  headers?: Record<string, string>;
  /** Send to this hop (`sip:host:port;transport=udp`) instead of resolving the Request-URI. */
  proxy?: string;
}

export interface SrfConnectOptions {
  host: string;
  port: number;
  secret: string;
  reconnect?: { retryMaxDelay?: number };
}

export interface SrfApp {
  connect(opts: SrfConnectOptions): void;
  disconnect(): void;
  register(handler: SrfHandler): void;
  options(handler: SrfHandler): void;
  request(uri: string, opts: SrfRequestOptions): Promise<SrfSentRequest>;
  on(event: 'connect', listener: (err: Error | null, hostport: string) => void): void;
  on(event: 'error' | 'reconnecting' | 'close', listener: (arg: unknown) => void): void;
  removeAllListeners(event?: string): void;
}

/** A new, unconnected srf instance behind the typed surface. */
export function createSrf(): SrfApp {
  // srf's default export is a CommonJS class whose .d.ts does not match these shapes exactly.
  const Ctor = Srf as unknown as new () => SrfApp;
  return new Ctor();
}

/** The srf internals shutdownSrf() has to reach (drachtio-srf 5.0.x). */
interface SrfInternals {
  _app?: {
    /** The DrachtioAgent, once connect() was called. */
    client?: {
      wp?: { closing?: boolean; reconnectVars?: { retryTimer?: ReturnType<typeof setTimeout> | null } };
      mapServer?: Map<{ destroy(): void }, unknown>;
    };
  };
}

/**
 * Disconnects for good. srf.disconnect() alone throws when no connection is up, and leaves a
 * pending reconnect timer armed (it reconnects after we closed), so the retry state is cleared
 * here, and a connection that was still being set up is closed as soon as it completes.
 */
export function shutdownSrf(srf: SrfApp): void {
  const agent = (srf as unknown as SrfInternals)._app?.client;
  const wp = agent?.wp;
  if (wp) {
    wp.closing = true;
    if (wp.reconnectVars?.retryTimer) clearTimeout(wp.reconnectVars.retryTimer);
    if (wp.reconnectVars) wp.reconnectVars.retryTimer = null;
  }
  srf.removeAllListeners('connect');
  srf.removeAllListeners('error');
  srf.removeAllListeners('close');
  srf.on('error', () => {});
  srf.on('connect', () => {
    for (const socket of agent?.mapServer?.keys() ?? []) socket.destroy();
  });
  for (const socket of agent?.mapServer?.keys() ?? []) socket.destroy();
}
