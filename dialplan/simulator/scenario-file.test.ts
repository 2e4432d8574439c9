import { describe, expect, it } from 'vitest';
import { compare, runScenarioFile } from './scenario-file.ts';

const OFFICE = new URL('../../apps/examples/small-office.ts', import.meta.url).pathname;

describe('scenario files (pbx dialplan test)', () => {
  it("runs the small office's scenario file", async () => {
    const results = await runScenarioFile(OFFICE);
    expect(results.map((r) => [r.name, r.problems])).toEqual([
      ['extension busy -> voicemail, cause 486', []],
      ['after hours: 3 then extension 1042', []],
      ['conference with the moderator PIN', []],
    ]);
  });

  it('reports each mismatch with its path', () => {
    const problems: string[] = [];
    compare('end', { kind: 'voicemail', cause: 408 }, { kind: 'voicemail', cause: 486 }, problems);
    compare('ops', ['dial'], ['dial', 'hangup'], problems);
    expect(problems).toEqual(['end.cause: expected 486, got 408', 'ops: expected ["dial","hangup"], got ["dial"]']);
  });
});
