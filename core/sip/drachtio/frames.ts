// Text of the frames the engine sends to apps (drachtio wire protocol §2.2, §2.3).
//
// A frame that carries a SIP message is kept as its text head plus the message's own bytes, so
// the bytes that arrived or were sent go to the app without a utf8 decode and re-encode.
import type { Endpoint } from '../transport/transport.ts';
import { wireTime } from '../util/clock.ts';

/** Everything of a frame after `<msgId>|` up to and including the CRLF, then the SIP bytes. */
export interface FramePayload {
  head: string;
  sip: Buffer;
}

export interface SipFrameInfo {
  source: 'network' | 'application';
  data: Buffer;
  remote: { protocol: string; address: string; port: number };
  txnId: string;
  dialogId: string;
  /** Only for new out-of-dialog requests (srf `req.receivedOn`). */
  receivedOn?: { address: string; port: number };
}

/** `sip|source|bytes|proto|addr|port|time|txnId|dialogId|[recvAddr|recvPort|]` CRLF message. */
export function sipFrame(f: SipFrameInfo): FramePayload {
  const recv = f.receivedOn ? `${f.receivedOn.address}|${f.receivedOn.port}|` : '';
  return {
    head:
      `sip|${f.source}|${f.data.length}|${f.remote.protocol}|${f.remote.address}|${f.remote.port}|` +
      `${wireTime(Date.now())}|${f.txnId}|${f.dialogId}|${recv}\r\n`,
    sip: f.data,
  };
}

/** Echo after the engine sent an app's request: srf reads the txnId at `OK`-relative token 7. */
export function requestSentEcho(data: Buffer, local: { protocol: string; address: string; port: number }, txnId: string): FramePayload {
  return {
    head: `OK|application|${data.length}|${local.protocol}|${local.address}|${local.port}|${wireTime(Date.now())}|${txnId}|Msg sent:|\r\n`,
    sip: data,
  };
}

/** Echo after the engine sent an app's response: srf reads txnId and dialogId at frame tokens 10/11. */
export function responseSentEcho(data: Buffer, dest: Endpoint, txnId: string, dialogId: string): FramePayload {
  return {
    head: `OK|application|${data.length}|${dest.protocol}|${dest.address}|${dest.port}|${wireTime(Date.now())}|${txnId}|${dialogId}||Msg sent:|\r\n`,
    sip: data,
  };
}

/** Proxy progress: one per branch final response, marked `continue` so srf keeps its callback. */
export function proxyResponseFrame(data: Buffer, from: Endpoint): FramePayload {
  return {
    head: `OK|network|${data.length}|${from.protocol}|${from.address}|${from.port}|${wireTime(Date.now())}|||continue\r\n`,
    sip: data,
  };
}
