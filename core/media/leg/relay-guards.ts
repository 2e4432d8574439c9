// The native relay routes that touch a leg (as source or as destination). Whenever JavaScript is
// about to handle one of the leg's packets or write its outgoing stream itself, the routes step
// aside (state handed back to JavaScript) and re-arm afterwards if they still may; see
// bridge/fast-relay.ts. With no route this costs an empty loop.

export interface RelayParticipant {
  /** Stop relaying natively and hand the state back (nestable). */
  suspend(): void;
  /** Undo one suspend; re-arm when nothing holds it and the conditions allow. */
  resume(): void;
  /** Fold what the route did since the last look into the JavaScript objects; it stays armed. */
  sync(): void;
}

export class RelayGuards {
  private readonly routes = new Set<RelayParticipant>();

  add(r: RelayParticipant): void {
    this.routes.add(r);
  }

  delete(r: RelayParticipant): void {
    this.routes.delete(r);
  }

  enter(): void {
    // Most legs have no route: skip the iterator.
    if (this.routes.size === 0) return;
    for (const r of this.routes) r.suspend();
  }

  exit(): void {
    // Most legs have no route: skip the iterator.
    if (this.routes.size === 0) return;
    for (const r of this.routes) r.resume();
  }

  /** Something the routes depend on changed (taps, claims, media): decide again. */
  refresh(): void {
    this.enter();
    this.exit();
  }

  sync(): void {
    // Most legs have no route: skip the iterator.
    if (this.routes.size === 0) return;
    for (const r of this.routes) r.sync();
  }
}
