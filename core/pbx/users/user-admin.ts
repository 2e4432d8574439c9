// Managing users where it touches more than the users table: removing or disabling a user also
// drops their registrations, so no call is routed to a phone that may no longer register.
import type { BindingStore } from '../store/binding-store.ts';
import type { NewUser, User, UserPatch, UserStore } from '../store/users.ts';
import { aorFor } from '../aor.ts';

export class UserAdmin {
  constructor(private readonly opts: { users: UserStore; bindings: BindingStore; domain: string }) {}

  list(): User[] {
    return this.opts.users.list();
  }

  get(extension: string): User | undefined {
    return this.opts.users.get(extension);
  }

  /** Throws UserExistsError if the extension is taken. */
  add(input: NewUser): User {
    return this.opts.users.add(input);
  }

  update(extension: string, patch: UserPatch): User | undefined {
    const user = this.opts.users.update(extension, patch);
    if (user && !user.enabled) this.opts.bindings.removeAor(aorFor(extension, this.opts.domain));
    return user;
  }

  remove(extension: string): boolean {
    const gone = this.opts.users.remove(extension);
    if (gone) this.opts.bindings.removeAor(aorFor(extension, this.opts.domain));
    return gone;
  }
}
