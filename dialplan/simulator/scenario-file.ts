// Scenario files for `pbx dialplan test`: `office.scenarios.json` next to `office.ts` lists cases,
// each a scenario plus the parts of the result it expects (matched like vitest's toMatchObject:
// objects by the keys given, arrays element by element and in full).
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { scenarioSchema } from './scenario.ts';
import { simulate, type SimResult } from './simulate.ts';

export const scenarioFileSchema = z
  .object({
    cases: z
      .array(
        z
          .object({
            name: z.string().min(1),
            scenario: scenarioSchema,
            expect: z
              .object({ outcome: z.unknown(), end: z.unknown(), ops: z.array(z.string()), vars: z.record(z.string()), logs: z.array(z.string()), elapsed: z.number() })
              .partial()
              .strict(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export interface CaseResult {
  name: string;
  ok: boolean;
  /** What differed, one line per mismatch (`end.cause: expected 486, got 408`). */
  problems: string[];
  result: SimResult | null;
}

export function scenarioFileFor(dialplan: string): string {
  return dialplan.replace(/\.ts$/, '.scenarios.json');
}

export async function runScenarioFile(dialplan: string, file = scenarioFileFor(dialplan)): Promise<CaseResult[]> {
  if (!existsSync(file)) return [];
  const parsed = scenarioFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${file}: ${i.path.join('.')}: ${i.message}`);
    return [{ name: file, ok: false, problems, result: null }];
  }
  const out: CaseResult[] = [];
  for (const c of parsed.data.cases) {
    const result = await simulate(dialplan, c.scenario);
    const problems: string[] = [];
    for (const [key, want] of Object.entries(c.expect)) compare(key, (result as unknown as Record<string, unknown>)[key], want, problems);
    out.push({ name: c.name, ok: problems.length === 0, problems, result });
  }
  return out;
}

/** Partial deep match; records each mismatch with its path. */
export function compare(path: string, actual: unknown, expected: unknown, problems: string[]): void {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      problems.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      return;
    }
    expected.forEach((e, i) => compare(`${path}.${i}`, actual[i], e, problems));
  } else if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null) {
      problems.push(`${path}: expected an object, got ${JSON.stringify(actual)}`);
      return;
    }
    for (const [k, e] of Object.entries(expected)) compare(`${path}.${k}`, (actual as Record<string, unknown>)[k], e, problems);
  } else if (actual !== expected) {
    problems.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}
