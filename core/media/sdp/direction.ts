// Media directions (RFC 3264 §5.1, §6.1, §8.4). A direction is a pair of permissions from one
// side's point of view; the answer mirrors the offer and may only narrow it.

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface Flow {
  send: boolean;
  recv: boolean;
}

export function toFlow(d: Direction): Flow {
  return { send: d === 'sendrecv' || d === 'sendonly', recv: d === 'sendrecv' || d === 'recvonly' };
}

export function fromFlow(f: Flow): Direction {
  if (f.send && f.recv) return 'sendrecv';
  if (f.send) return 'sendonly';
  if (f.recv) return 'recvonly';
  return 'inactive';
}

/** The other side's view of the same stream. */
export function mirror(d: Direction): Direction {
  const f = toFlow(d);
  return fromFlow({ send: f.recv, recv: f.send });
}

/**
 * Direction to answer with: "If the offered stream is sendonly, the answer MUST be recvonly or
 * inactive ... recvonly → sendonly or inactive ... inactive → inactive" (§6.1), further narrowed by
 * what we want locally (e.g. we hold).
 */
export function answerDirection(offered: Direction, local: Direction): Direction {
  const allowed = toFlow(mirror(offered));
  const wanted = toFlow(local);
  return fromFlow({ send: allowed.send && wanted.send, recv: allowed.recv && wanted.recv });
}

/** What we actually do once both sides have spoken: our direction narrowed by theirs. */
export function effectiveFlow(local: Direction, remote: Direction): Flow {
  const l = toFlow(local);
  const r = toFlow(remote);
  return { send: l.send && r.recv, recv: l.recv && r.send };
}

export function isDirection(s: unknown): s is Direction {
  return s === 'sendrecv' || s === 'sendonly' || s === 'recvonly' || s === 'inactive';
}
