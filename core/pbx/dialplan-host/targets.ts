// Dialplan dial targets to the phones and URIs to ring. An extension becomes its registered
// contacts (reached through their NAT source like any call), and so does a URI in our own domain;
// other URIs are sent as they are; an external number needs a trunk, which this PBX does not have
// yet, so it fails with a message that says so.
import type { LocationService } from '../location/location-service.ts';
import type { UserStore } from '../store/users.ts';
import type { ForkTarget } from '../calls/fork.ts';
import type { DialTargetArg } from '../../../dialplan/host/ops.ts';
import type { Prompt } from '@pbx/dialplan';

export interface ResolvedTarget extends ForkTarget {
  /** For the result's `by`: the extension, or the URI. */
  label: string;
  /** The dialplan's confirm prompt, turned into play items by the host. */
  confirmPrompt?: Prompt;
}

export type Resolution = { targets: ResolvedTarget[]; failures: number[]; problems: string[] };

export interface TargetDeps {
  users: UserStore;
  location: LocationService;
  domain: string;
}

export async function resolveTargets(args: readonly DialTargetArg[], deps: TargetDeps): Promise<Resolution> {
  const out: Resolution = { targets: [], failures: [], problems: [] };
  for (const t of args) {
    const timeoutMs = t.timeout === undefined ? undefined : t.timeout * 1000;
    if (t.kind === 'user') {
      const user = deps.users.get(t.user);
      if (!user || !user.enabled) {
        out.failures.push(404);
        out.problems.push(`extension ${t.user} does not exist`);
        continue;
      }
      const contacts = (await deps.location.lookup(t.user)).filter((c) => c.reachable !== false);
      if (contacts.length === 0) {
        out.failures.push(480);
        out.problems.push(`extension ${t.user} has no registered phone`);
        continue;
      }
      for (const c of contacts) out.targets.push({ uri: c.uri, nextHop: c.nextHop, label: t.user, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
    } else if (t.kind === 'uri') {
      const m = /^sips?:(?:([^@;:>]*)@)?([^;:>?]+)/i.exec(t.uri);
      const host = m?.[2]?.toLowerCase();
      if (host === deps.domain.toLowerCase() && m?.[1]) {
        // One of ours: ring the extension directly rather than looping the INVITE through our engine.
        const r = await resolveTargets([{ kind: 'user', user: decodeURIComponent(m[1]), ...(t.timeout !== undefined ? { timeout: t.timeout } : {}) }], deps);
        out.targets.push(...r.targets);
        out.failures.push(...r.failures);
        out.problems.push(...r.problems);
      } else {
        out.targets.push({
          uri: t.uri, nextHop: undefined, label: t.uri, ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...(t.confirm !== undefined ? { confirmPrompt: t.confirm } : {}),
        });
      }
    } else {
      out.failures.push(503);
      out.problems.push(`no trunk is configured to reach ${t.number}`);
    }
  }
  return out;
}
