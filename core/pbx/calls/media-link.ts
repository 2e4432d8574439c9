// The PBX app's connection to the media server. `pbx start` launches the two processes together,
// so the app keeps trying to connect (and reconnects after a media restart) instead of failing;
// while it is down, media operations fail with a clear 503 and calls without media still work.
// Events arrive on one socket for every call: they are routed here to the leg, player or
// recorder that waits for them, so a call only ever sees its own digits.
import { MediaClient } from '../../media/control/client.ts';
import type { EventMap } from '../../media/control/protocol.ts';
import { MediaError } from '../../media/util/media-error.ts';
import type { Logger } from '../../sip/util/logger.ts';

type Dtmf = EventMap['dtmf'];
type PlayDone = EventMap['playDone'];
type RecordDone = EventMap['recordDone'];

export interface MediaLinkOptions {
  socketPath: string;
  log: Logger;
  /** Delay between connection attempts. */
  retryMs?: number;
  requestTimeoutMs?: number;
}

export class MediaLink {
  #client: MediaClient | undefined;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #warned = false;
  readonly #dtmf = new Map<string, (d: Dtmf) => void>();
  readonly #legLost = new Map<string, () => void>();
  readonly #plays = new Map<string, (d: PlayDone) => void>();
  readonly #records = new Map<string, (d: RecordDone) => void>();
  /** Ends of plays/records that arrived before their waiter registered (the event can beat the response). */
  readonly #earlyPlays = new Map<string, PlayDone>();
  readonly #earlyRecords = new Map<string, RecordDone>();
  readonly #waiters: (() => void)[] = [];

  constructor(private readonly o: MediaLinkOptions) {
    this.#connect();
  }

  get connected(): boolean {
    return this.#client?.connected ?? false;
  }

  /** The client, or a 503 when the media server is not reachable right now. */
  get client(): MediaClient {
    const c = this.#client;
    if (!c || !c.connected) throw new MediaError(503, 'the media server is not connected');
    return c;
  }

  /** Resolves once connected (bounded by `ms`); false on timeout. */
  ready(ms = 10_000): Promise<boolean> {
    if (this.connected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      this.#waiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  /** Digits of one leg (RFC 4733 or in-band); the returned function unsubscribes. */
  onDtmf(legId: string, fn: (d: Dtmf) => void): () => void {
    this.#dtmf.set(legId, fn);
    return () => {
      if (this.#dtmf.get(legId) === fn) this.#dtmf.delete(legId);
    };
  }

  /** Called when the media server goes away with this leg (its audio is gone). */
  onLegLost(legId: string, fn: () => void): () => void {
    this.#legLost.set(legId, fn);
    return () => {
      if (this.#legLost.get(legId) === fn) this.#legLost.delete(legId);
    };
  }

  waitPlay(playId: string): Promise<PlayDone> {
    return waitFor(playId, this.#plays, this.#earlyPlays);
  }

  waitRecord(recordId: string): Promise<RecordDone> {
    return waitFor(recordId, this.#records, this.#earlyRecords);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#client?.close();
  }

  #connect(): void {
    if (this.#closed) return;
    MediaClient.connect({ socketPath: this.o.socketPath, requestTimeoutMs: this.o.requestTimeoutMs ?? 10_000 }).then(
      (c) => this.#attach(c),
      (err: Error) => {
        if (!this.#warned) this.o.log.warn(`media server not reachable at ${this.o.socketPath} (${err.message}); retrying`);
        this.#warned = true;
        this.#timer = setTimeout(() => this.#connect(), this.o.retryMs ?? 500);
      },
    );
  }

  #attach(c: MediaClient): void {
    if (this.#closed) return void c.close();
    this.#client = c;
    this.#warned = false;
    this.o.log.notice(`connected to the media server (${this.o.socketPath})`);
    c.dtmf.on((d) => this.#dtmf.get(d.legId)?.(d));
    c.playDone.on((d) => deliver(d.playId, d, this.#plays, this.#earlyPlays));
    c.recordDone.on((d) => deliver(d.recordId, d, this.#records, this.#earlyRecords));
    c.disconnected.on(({ reason, lostLegs }) => {
      // Our own close (shutdown) is no fault; legs still up then are worth a warning, not an error.
      if (!this.#closed) this.o.log.error(`media server connection lost (${reason}); ${lostLegs.length} call legs lost`);
      else if (lostLegs.length > 0) this.o.log.warn(`media server connection closed with ${lostLegs.length} call legs still up`);
      else this.o.log.info('media server connection closed');
      this.#client = undefined;
      // Pending plays and recordings will never report: end them as if hung up.
      for (const [id, fn] of this.#plays) fn({ legId: '', playId: id, reason: 'hangup', playedMs: 0 });
      for (const [id, fn] of this.#records) fn({ recordId: id, path: '', durationMs: 0, reason: 'error', error: reason });
      for (const legId of lostLegs) this.#legLost.get(legId)?.();
      if (!this.#closed) this.#timer = setTimeout(() => this.#connect(), this.o.retryMs ?? 500);
    });
    for (const w of this.#waiters.splice(0)) w();
  }
}

function waitFor<T>(id: string, waiting: Map<string, (d: T) => void>, early: Map<string, T>): Promise<T> {
  const got = early.get(id);
  if (got) {
    early.delete(id);
    return Promise.resolve(got);
  }
  return new Promise((resolve) =>
    waiting.set(id, (d) => {
      waiting.delete(id);
      resolve(d);
    }),
  );
}

function deliver<T>(id: string, d: T, waiting: Map<string, (d: T) => void>, early: Map<string, T>): void {
  const fn = waiting.get(id);
  if (fn) return fn(d);
  early.set(id, d);
  // Nobody asked for it (a fire-and-forget play): forget it after a while rather than keep it forever.
  setTimeout(() => early.delete(id), 30_000).unref();
}
