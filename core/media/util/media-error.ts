// Errors carry a status in SIP's terms (STYLE practice 12) so the PBX can answer a re-INVITE with
// 488 when our SDP negotiation fails, or a 500 on a media-server fault, without string matching.

export type MediaErrorStatus = 400 | 404 | 409 | 488 | 500 | 503;

export class MediaError extends Error {
  constructor(
    readonly status: MediaErrorStatus,
    message: string,
  ) {
    super(message);
    this.name = 'MediaError';
  }
}

export const badRequest = (msg: string): MediaError => new MediaError(400, msg);
export const notFound = (msg: string): MediaError => new MediaError(404, msg);
export const conflict = (msg: string): MediaError => new MediaError(409, msg);
export const notAcceptable = (msg: string): MediaError => new MediaError(488, msg);
