// `pbx dialplan check|simulate|test`: the activation gate, the simulator and scenario files from
// the command line. The dialplan modules are loaded on demand (esbuild, TypeScript and isolated-vm
// are not needed by the other commands).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { option, type Args } from './args.ts';

export const DIALPLAN_HELP = `  pbx dialplan check PATH...                    compile and type-check dialplans (files, or every dialplan in a folder)
  pbx dialplan simulate FILE --to NUMBER [--from N] [--direction internal|inbound|outbound] [--at ISO-TIME]
                    [--endpoints 1005=busy,1006=answer@5/30] [--dtmf 3,1042] [--hangup-after S] [--scenario FILE.json] [--json]
                                                run one call through the simulator and print what happened
  pbx dialplan test PATH...                     run NAME.scenarios.json next to each dialplan NAME.ts`;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}
const defaultIo: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export async function runDialplanCommand(args: Args, io: Io = defaultIo): Promise<number> {
  const [, sub, ...paths] = args.words;
  switch (sub) {
    case 'check':
      return check(paths, io);
    case 'simulate':
      return simulateCommand(paths[0], args, io);
    case 'test':
      return test(paths, io);
    default:
      io.err(`pbx dialplan: unknown subcommand '${sub ?? ''}'\n\n${DIALPLAN_HELP}\n`);
      return 2;
  }
}

/** Each path is a dialplan file or a folder of them; the folder is the import root. */
async function entries(paths: readonly string[]): Promise<{ file: string; root: string }[]> {
  const { listEntries } = await import('../dialplan/reload/entries.ts');
  return paths.flatMap((p) => {
    const abs = resolve(p);
    if (statSync(abs).isDirectory()) return [...listEntries(abs).values()].map((file) => ({ file, root: abs }));
    return [{ file: abs, root: dirname(abs) }];
  });
}

async function check(paths: readonly string[], io: Io): Promise<number> {
  if (paths.length === 0) return usage(io, 'check needs a dialplan file or folder');
  const { compileDialplan } = await import('../dialplan/compiler/compile.ts');
  let failed = 0;
  for (const { file, root } of await entries(paths)) {
    const r = await compileDialplan(file, { root });
    if (r.ok) io.out(`ok   ${r.dialplan.name}  version ${r.dialplan.version}  (${Math.round(r.dialplan.compileMs)} ms)\n`);
    else {
      failed++;
      io.out(`${r.message}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}

function parseEndpoints(text: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of (text ?? '').split(',').filter(Boolean)) {
    const [key, value = ''] = item.split('=');
    const m = /^answer@([\d.]+)(?:\/([\d.]+))?$/.exec(value);
    out[key!] = m ? { answerAfter: Number(m[1]), ...(m[2] !== undefined && { talk: Number(m[2]) }) } : value;
  }
  return out;
}

async function simulateCommand(file: string | undefined, args: Args, io: Io): Promise<number> {
  if (!file) return usage(io, 'simulate needs a dialplan file');
  const { scenarioSchema } = await import('../dialplan/simulator/scenario.ts');
  const { simulate } = await import('../dialplan/simulator/index.ts');
  const base = option(args, 'scenario') ? (JSON.parse(readFileSync(option(args, 'scenario')!, 'utf8')) as Record<string, unknown>) : {};
  const call = { ...(base['call'] as object | undefined) } as Record<string, unknown>;
  for (const k of ['to', 'from', 'direction'] as const) if (option(args, k)) call[k] = option(args, k);
  const caller = { ...(base['caller'] as object | undefined) } as Record<string, unknown>;
  if (option(args, 'dtmf')) caller['dtmf'] = option(args, 'dtmf')!.split(',').map((d) => (d === '-' ? null : d));
  if (option(args, 'hangup-after')) caller['hangupAfter'] = Number(option(args, 'hangup-after'));
  const parsed = scenarioSchema.safeParse({
    ...base,
    call,
    ...(Object.keys(caller).length > 0 && { caller }),
    ...(option(args, 'at') && { at: option(args, 'at') }),
    ...(option(args, 'endpoints') && { endpoints: { ...(base['endpoints'] as object | undefined), ...parseEndpoints(option(args, 'endpoints')) } }),
  });
  if (!parsed.success) return usage(io, parsed.error.issues.map((i) => `${i.path.join('.') || 'scenario'}: ${i.message}`).join('\n'));
  const r = await simulate(resolve(file), parsed.data);
  if (args.options.has('json')) io.out(JSON.stringify(r, null, 2) + '\n');
  else {
    for (const e of r.trace) io.out(`${e.at.toFixed(1).padStart(7)}s  ${e.op.padEnd(10)} ${JSON.stringify(e.args)}  ->  ${JSON.stringify(e.result)}\n`);
    for (const l of r.logs) io.out(`log:     ${l}\n`);
    if (Object.keys(r.vars).length > 0) io.out(`vars:    ${JSON.stringify(r.vars)}\n`);
    io.out(`end:     ${JSON.stringify(r.end)}\n`);
    const o = r.outcome;
    io.out(`outcome: ${o.result}${o.result === 'ok' ? ` (${o.end})` : `: ${o.message}`}${o.fallback ? ` -> fallback ${o.fallback}` : ''}  [${o.dialplan} ${o.version}, ${r.elapsed}s virtual]\n`);
  }
  return r.outcome.result === 'ok' ? 0 : 1;
}

async function test(paths: readonly string[], io: Io): Promise<number> {
  if (paths.length === 0) return usage(io, 'test needs a dialplan file or folder');
  const { runScenarioFile, scenarioFileFor } = await import('../dialplan/simulator/scenario-file.ts');
  let passed = 0;
  let failed = 0;
  for (const { file } of await entries(paths)) {
    if (!existsSync(scenarioFileFor(file))) continue;
    io.out(`${file}\n`);
    try {
      for (const c of await runScenarioFile(file)) {
        io.out(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}\n`);
        for (const p of c.problems) io.out(`         ${p}\n`);
        if (c.ok) passed++;
        else failed++;
      }
    } catch (err) {
      failed++;
      io.out(`  FAIL ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  if (passed + failed === 0) {
    io.err('pbx dialplan test: no scenario files (NAME.scenarios.json next to NAME.ts) found\n');
    return 1;
  }
  io.out(`${passed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

function usage(io: Io, msg: string): number {
  io.err(`pbx dialplan: ${msg}\n\n${DIALPLAN_HELP}\n`);
  return 2;
}
