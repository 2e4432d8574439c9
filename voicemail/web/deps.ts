// What the route modules share, built once by createVoicemailWeb.
import type { UserAdmin } from '../../core/pbx/users/user-admin.ts';
import type { Logger } from '../../core/sip/util/logger.ts';
import type { LoginLimiter } from './login/login-limiter.ts';
import type { LoginUsers } from './login/login.ts';
import type { MailboxAccess } from './mailbox-access.ts';
import type { SessionOptions, SessionStore } from './middleware/session/index.ts';
import type { VoicemailWebSettings } from './settings.ts';

export interface WebDeps {
  store: MailboxAccess;
  users: LoginUsers;
  admin: Pick<UserAdmin, 'update'>;
  sessions: SessionStore;
  sessionOptions: SessionOptions;
  limiter: LoginLimiter;
  settings: VoicemailWebSettings;
  log: Logger;
}
