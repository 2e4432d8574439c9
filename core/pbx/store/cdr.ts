// Call detail records (table `cdrs`). The call router opens a record when a call arrives,
// marks the answer, and closes it with the outcome; the API reads them.
import type { Db } from './db.ts';

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

export class CdrStore {
  private readonly q;

  constructor(db: Db) {
    this.q = {
      insert: db.prepare<[string, string, string, number]>('INSERT INTO cdrs (call_id, caller, callee, started_at) VALUES (?, ?, ?, ?)'),
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
  }

  /** Opens a record; returns its id. */
  start(c: { callId: string; caller: string; callee: string; startedAt: number }): number {
    return Number(this.q.insert.run(c.callId, c.caller, c.callee, c.startedAt).lastInsertRowid);
  }

  /** First answer only; false if unknown, answered or ended already. */
  answered(id: number, at: number): boolean {
    return this.q.answer.run(at, id).changes > 0;
  }

  /** Closes the record once; false if unknown or closed already. */
  finish(id: number, end: { endedAt: number; outcome: CallOutcome; sipCode: number; reason?: string }): boolean {
    return this.q.finish.run({ id, endedAt: end.endedAt, outcome: end.outcome, sipCode: end.sipCode, reason: end.reason ?? null }).changes > 0;
  }

  /** Replaces the record's dialplan variables (also after the call ended: a late write wins). */
  setVars(id: number, vars: Record<string, string>): void {
    this.q.vars.run(JSON.stringify(vars), id);
  }

  get(id: number): Cdr | undefined {
    const r = this.q.get.get(id);
    return r && toCdr(r);
  }

  /** Newest first. */
  list(query: CdrQuery = {}): Cdr[] {
    const before = query.before ?? Number.MAX_SAFE_INTEGER;
    const limit = Math.min(Math.max(1, query.limit ?? 100), MAX_CDR_PAGE);
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
