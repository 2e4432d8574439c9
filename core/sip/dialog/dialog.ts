// A SIP dialog as the engine keeps it (RFC 3261 §12), identified to apps by drachtio's dialogId.
import type { AppConnection } from '../drachtio/app-connection.ts';
import type { Destination } from '../transport/transport-layer.ts';
import type { Protocol } from '../transport/transport.ts';
import type { TimerHandle } from '../util/clock.ts';

export type DialogState = 'early' | 'confirmed' | 'terminated';

export class Dialog {
  state: DialogState = 'early';
  remoteTag = '';
  /** Our From (uac) or To (uas) header value, with our tag. */
  localUri = '';
  /** Their From (uas) or To (uac) header value, with their tag once known. */
  remoteUri = '';
  localSeq = 0;
  remoteSeq: number | undefined;
  remoteTarget = '';
  /** Route set in the order requests must carry it (§12.1.1 / §12.1.2). */
  routeSet: string[] = [];
  localContact = '';
  /** Where in-dialog requests go when NAT was detected (drachtio §3.4, §3.6). */
  natTarget: Destination | undefined;
  connectionId: string | undefined;

  // UAS: our 2xx awaits its ACK (Timer G/H live while set).
  awaitingAck: { seq: number; bytes: Buffer; timers: TimerHandle[] } | undefined;
  // UAC: the ACK we sent for a 2xx, re-sent if that 2xx is retransmitted.
  lastAck: { seq: number; bytes: Buffer; dest: Destination } | undefined;
  /** UAC: CSeq of the INVITE whose 2xx the app must ACK next. */
  ackableInviteSeq: number | undefined;
  /** Either role: a re-INVITE we sent that has no final response yet (§14.1 glare → 491). */
  outgoingInvitePending = false;
  /** A re-INVITE we received that has no final response yet. */
  incomingInvitePending = false;
  /** UAS: the initial INVITE's txnId, so early UPDATE/CANCEL can be tied to it. */
  inviteTxnId: string | undefined;
  /** UDP next hop last resolved from an IP-literal route/target (`first`), reused while that is unchanged. */
  hop: { first: string; dest: Destination } | undefined;
  /** UAC: the app canceled before the 2xx arrived; BYE as soon as the app ACKs. */
  canceledByApp = false;

  constructor(
    readonly id: string,
    readonly role: 'uac' | 'uas',
    readonly kind: 'invite' | 'subscribe',
    readonly callId: string,
    readonly localTag: string,
    public app: AppConnection,
    public protocol: Protocol,
  ) {}

  /** drachtio dialogId: `<Call-ID>;from-tag=<From tag of the dialog-creating request>`. */
  static idFor(callId: string, fromTag: string): string {
    return `${callId};from-tag=${fromTag}`;
  }

  /** The UAS half of a spiral, whose drachtio id would equal our UAC half's; srf treats ids as opaque. */
  static spiralIdFor(callId: string, fromTag: string, localTag: string): string {
    return `${callId};from-tag=${fromTag};to-tag=${localTag}`;
  }

  nextLocalSeq(appSeq?: number): number {
    if (appSeq !== undefined && appSeq > this.localSeq) this.localSeq = appSeq;
    else this.localSeq += 1;
    return this.localSeq;
  }
}
