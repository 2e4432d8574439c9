// The dialog half of drachtio-srf the call router uses (createUAC/createUAS/Dialog), typed here
// as srf-types.ts types the request half. Only this file looks at srf's untyped objects.
import type { SrfApp, SrfRequest, SrfResponse } from '../srf-types.ts';

/** srf's SipError: a failed createUAC carries the final status. */
export interface SrfSipError extends Error {
  status?: number;
}

export interface SrfInDialogRequest extends SrfRequest {
  readonly body: string;
}

export interface SrfInDialogResponse {
  send(status: number, opts?: { headers?: Record<string, string>; body?: string }): void;
}

export interface SrfDialog {
  readonly id: string;
  readonly local: { sdp: string; uri: string };
  readonly remote: { sdp: string; uri: string };
  destroy(opts?: { headers?: Record<string, string> }): Promise<unknown>;
  modify(sdp: string): Promise<string>;
  request(opts: { method: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number }>;
  on(event: 'destroy', listener: (msg: unknown, reason?: string) => void): void;
  on(event: 'modify' | 'info' | 'notify' | 'update' | 'refer' | 'message', listener: (req: SrfInDialogRequest, res: SrfInDialogResponse) => void): void;
  removeAllListeners(event?: string): void;
}

/** The outgoing INVITE srf hands us so it can be canceled. */
export interface SrfUacRequest {
  cancel(opts?: { headers?: Record<string, string> }): void;
}

export interface SrfProvisional {
  readonly status: number;
  readonly body: string;
  get(name: string): string | undefined;
}

export interface UacOptions {
  localSdp: string;
  headers?: Record<string, string>;
  proxy?: string;
}

export interface DialogApi {
  createUAC(uri: string, opts: UacOptions, cbs: { cbRequest?: (err: unknown, req: SrfUacRequest) => void; cbProvisional?: (res: SrfProvisional) => void }): Promise<SrfDialog>;
  createUAS(req: SrfRequest, res: SrfResponse, opts: { localSdp: string; headers?: Record<string, string> }): Promise<SrfDialog>;
  invite(handler: (req: SrfInvite, res: SrfResponse) => void): void;
}

/** An incoming INVITE: a request with a body and a `cancel` event. */
export interface SrfInvite extends SrfRequest {
  readonly body: string;
  readonly callingNumber?: string;
  /** Every header of the request (srf's parsed message). */
  readonly headers?: Record<string, unknown>;
  on(event: 'cancel', listener: () => void): void;
}

export function dialogApi(srf: SrfApp): DialogApi {
  return srf as unknown as DialogApi;
}
