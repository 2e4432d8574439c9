// Call detail records (table `cdrs`). The call router opens a record when a call arrives,
// marks the answer, and closes it with the outcome; the API reads them.
import type { Db } from './db.ts';
import type { WriteBatch } from './write-batch.ts';

export const CALL_OUTCOMES = ['answered', 'busy', 'no-answer', 'canceled', 'rejected', 'failed'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export interface Cdr {
  id: number;
  callId: string;
  caller: string;
  callee: string;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** null while the call is in progress. */
  outcome: CallOutcome | null;
  /** Final SIP status of the call attempt (200 for answered calls). */
  sipCode: number | null;
  reason: string | null;
  /** Dialplan variables (`call.vars`) at the end of the call. */
  vars: Record<string, string>;
}

export interface CdrQuery {
  /** Calls from or to this extension/URI user. */
  party?: string;
  /** Only calls started before this instant (ms), for paging backwards. */
  before?: number;
  limit?: number;
}

/** The outcome a final status stands for (RFC 3261 §21 classes; 487 is the caller's CANCEL). */
export function outcomeForStatus(status: number): CallOutcome {
  if (status >= 200 && status < 300) return 'answered';
  if (status === 486 || status === 600) return 'busy';
  if (status === 408 || status === 480) return 'no-answer';
  if (status === 487) return 'canceled';
  if (status === 403 || status === 603) return 'rejected';
  return 'failed';
}

interface Row {
  id: number;
  call_id: string;
  caller: string;
  callee: string;
  started_at: number;
  answered_at: number | null;
  ended_at: number | null;
  outcome: string | null;
  sip_code: number | null;
  reason: string | null;
  vars: string | null;
}

export const MAX_CDR_PAGE = 1000;

/**
 * With a WriteBatch (the app), records are written behind: start, answer, variables and finish
 * are queued and commit together at the end of the event-loop turn, so a call costs no commit of
 * its own. The app process is then the only writer of this table: ids are handed out from memory
 * (the highest on file plus one), and whether a record is still open is known without a query.
 * Reads commit what is queued first, so they see every change made before them. A crash loses at
 * most the last turn's changes (a record may then stay open, as one of a call in progress would).
 */
export class CdrStore {
  private readonly q;
  private readonly batch: WriteBatch | undefined;
  private nextId = 0;
  /** Records this process opened and has not finished: whether each was answered. */
  private readonly open = new Map<number, { answered: boolean }>();

  constructor(db: Db, opts: { batch?: WriteBatch } = {}) {
    this.q = {
      insert: db.prepare<[string, string, string, number]>('INSERT INTO cdrs (call_id, caller, callee, started_at) VALUES (?, ?, ?, ?)'),
      insertWithId: db.prepare<[number, string, string, string, number]>('INSERT INTO cdrs (id, call_id, caller, callee, started_at) VALUES (?, ?, ?, ?, ?)'),
      maxId: db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM cdrs').pluck(),
      answer: db.prepare<[number, number]>('UPDATE cdrs SET answered_at = ? WHERE id = ? AND answered_at IS NULL AND ended_at IS NULL'),
      finish: db.prepare(
        `UPDATE cdrs SET ended_at = @endedAt, outcome = @outcome, sip_code = @sipCode, reason = @reason
         WHERE id = @id AND ended_at IS NULL`,
      ),
      vars: db.prepare<[string, number]>('UPDATE cdrs SET vars = ? WHERE id = ?'),
      get: db.prepare<[number], Row>('SELECT * FROM cdrs WHERE id = ?'),
      page: db.prepare<[number, number], Row>('SELECT * FROM cdrs WHERE started_at < ? ORDER BY started_at DESC, id DESC LIMIT ?'),
      pageParty: db.prepare<[number, string, string, number], Row>(
        `SELECT * FROM cdrs WHERE started_at < ? AND (caller = ? OR callee = ?) ORDER BY started_at DESC, id DESC LIMIT ?`,
      ),
    };
    this.batch = opts.batch;
    if (this.batch) this.nextId = (this.q.maxId.get() as number) + 1;
  }

  /** Opens a record; returns its id. */
  start(c: { callId: string; caller: string; callee: string; startedAt: number }): number {
    if (!this.batch) return Number(this.q.insert.run(c.callId, c.caller, c.callee, c.startedAt).lastInsertRowid);
    const id = this.nextId++;
    this.open.set(id, { answered: false });
    this.batch.queue(() => this.q.insertWithId.run(id, c.callId, c.caller, c.callee, c.startedAt));
    return id;
  }

  /** First answer only; false if unknown, answered or ended already. */
  answered(id: number, at: number): boolean {
    const o = this.open.get(id);
    if (!this.batch || !o) {
      this.batch?.flush(); // not opened by this process: ask the file
      return this.q.answer.run(at, id).changes > 0;
    }
    if (o.answered) return false;
    o.answered = true;
    this.batch.queue(() => this.q.answer.run(at, id));
    return true;
  }

  /** Closes the record once; false if unknown or closed already. */
  finish(id: number, end: { endedAt: number; outcome: CallOutcome; sipCode: number; reason?: string }): boolean {
    const row = { id, endedAt: end.endedAt, outcome: end.outcome, sipCode: end.sipCode, reason: end.reason ?? null };
    if (!this.batch || !this.open.delete(id)) {
      this.batch?.flush();
      return this.q.finish.run(row).changes > 0;
    }
    this.batch.queue(() => this.q.finish.run(row));
    return true;
  }

  /** Replaces the record's dialplan variables (also after the call ended: a late write wins). */
  setVars(id: number, vars: Record<string, string>): void {
    const json = JSON.stringify(vars);
    if (this.batch) this.batch.queue(() => this.q.vars.run(json, id));
    else this.q.vars.run(json, id);
  }

  get(id: number): Cdr | undefined {
    this.batch?.flush();
    const r = this.q.get.get(id);
    return r && toCdr(r);
  }

  /** Newest first. */
  list(query: CdrQuery = {}): Cdr[] {
    const before = query.before ?? Number.MAX_SAFE_INTEGER;
    const limit = Math.min(Math.max(1, query.limit ?? 100), MAX_CDR_PAGE);
    this.batch?.flush();
    const rows = query.party ? this.q.pageParty.all(before, query.party, query.party, limit) : this.q.page.all(before, limit);
    return rows.map(toCdr);
  }
}

function toCdr(r: Row): Cdr {
  return {
    id: r.id,
    callId: r.call_id,
    caller: r.caller,
    callee: r.callee,
    startedAt: r.started_at,
    answeredAt: r.answered_at,
    endedAt: r.ended_at,
    outcome: (CALL_OUTCOMES as readonly string[]).includes(r.outcome ?? '') ? (r.outcome as CallOutcome) : null,
    sipCode: r.sip_code,
    reason: r.reason,
    vars: parseVars(r.vars),
  };
}

function parseVars(json: string | null): Record<string, string> {
  if (!json) return {};
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}
