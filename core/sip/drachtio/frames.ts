// Text of the frames the engine sends to apps (drachtio wire protocol §2.2, §2.3).
import type { Endpoint } from '../transport/transport.ts';
import { wireTime } from '../util/clock.ts';

export interface SipFrameInfo {
  source: 'network' | 'application';
  data: Buffer | string;
  remote: { protocol: string; address: string; port: number };
  txnId: string;
  dialogId: string;
  /** Only for new out-of-dialog requests (srf `req.receivedOn`). */
  receivedOn?: { address: string; port: number };
}

/** `sip|source|bytes|proto|addr|port|time|txnId|dialogId|[recvAddr|recvPort|]` CRLF message. */
export function sipFrame(f: SipFrameInfo): string {
  const text = typeof f.data === 'string' ? f.data : f.data.toString('utf8');
  const bytes = typeof f.data === 'string' ? Buffer.byteLength(f.data) : f.data.length;
  const recv = f.receivedOn ? `${f.receivedOn.address}|${f.receivedOn.port}|` : '';
  return (
    `sip|${f.source}|${bytes}|${f.remote.protocol}|${f.remote.address}|${f.remote.port}|` +
    `${wireTime(Date.now())}|${f.txnId}|${f.dialogId}|${recv}\r\n${text}`
  );
}

/** Echo after the engine sent an app's request: srf reads the txnId at `OK`-relative token 7. */
export function requestSentEcho(data: Buffer, local: { protocol: string; address: string; port: number }, txnId: string): string {
  return (
    `OK|application|${data.length}|${local.protocol}|${local.address}|${local.port}|` +
    `${wireTime(Date.now())}|${txnId}|Msg sent:|\r\n${data.toString('utf8')}`
  );
}

/** Echo after the engine sent an app's response: srf reads txnId and dialogId at frame tokens 10/11. */
export function responseSentEcho(data: Buffer, dest: Endpoint, txnId: string, dialogId: string): string {
  return (
    `OK|application|${data.length}|${dest.protocol}|${dest.address}|${dest.port}|` +
    `${wireTime(Date.now())}|${txnId}|${dialogId}||Msg sent:|\r\n${data.toString('utf8')}`
  );
}

/** Proxy progress: one per branch final response, marked `continue` so srf keeps its callback. */
export function proxyResponseFrame(data: Buffer, from: Endpoint): string {
  return (
    `OK|network|${data.length}|${from.protocol}|${from.address}|${from.port}|` +
    `${wireTime(Date.now())}|||continue\r\n${data.toString('utf8')}`
  );
}
