// What the retrieval flow needs from the PBX, and how it ends.
import type { UserStore } from '../../core/pbx/store/users.ts';
import type { UserAdmin } from '../../core/pbx/users/user-admin.ts';
import type { Logger } from '../../core/sip/util/logger.ts';
import type { MailboxStore } from '../store/mailbox-store.ts';
import type { VoicemailConfig } from '../store/voicemail-config.ts';

export interface RetrievalDeps {
  store: MailboxStore;
  users: Pick<UserStore, 'get' | 'verifyPin'>;
  /** PIN changes go through the user admin, like the CLI and the HTTP API. */
  admin: Pick<UserAdmin, 'update'>;
  log: Logger;
  config: VoicemailConfig;
}

export interface RetrievalRequest {
  /** *97: the caller's own (authenticated) extension. Absent (*98): the caller is asked for it. */
  mailbox?: string;
}

export type RetrievalResult =
  /** The caller pressed # or stopped answering the menus; the call was hung up. */
  | { end: 'goodbye' }
  /** The caller hung up. */
  | { end: 'hangup' }
  /** Too many wrong PINs (logged); the call was hung up. */
  | { end: 'locked-out' }
  /** "Call back" on a message: the call is still up, for the caller to dial `callback` from it. */
  | { end: 'callback'; mailbox: string; callback: string };
