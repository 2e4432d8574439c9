// The default dialplan is copied into a user's data directory as one folder, and a dialplan may only
// import files inside its own folder. So apps/default/lib/ holds copies of the shared modules with
// their imports flattened ('../lib/x.ts' → './x.ts'). The originals are the ones to edit; this
// rewrites the copies (`npx tsx apps/tools/default-lib.ts`), and apps/apps.test.ts fails on drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APPS_DIR = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_LIB_DIR = fileURLToPath(new URL('../default/lib/', import.meta.url));

/** Paths under apps/, in dependency order; their base names must be unique. */
export const SHARED_MODULES = [
  'lib/prompts.ts',
  'lib/extension.ts',
  'lib/ring-group.ts',
  'conference-room/conference-room.ts',
  'ivr-menu/ivr-menu.ts',
  'music-on-hold/music-on-hold.ts',
  'echo-test/echo-test.ts',
] as const;

export function copyHeader(source: string): string {
  return `// A copy of apps/${source} from the PBX's source tree, so that this folder stands on its own.\n`;
}

/** The copy's text: a header line naming the original, then the original with flat imports. */
export function defaultLibCopy(source: string): string {
  const text = readFileSync(APPS_DIR + source, 'utf8');
  return copyHeader(source) + text.replace(/(from ')\.\.\/[a-z-]+\/([a-z-]+\.ts')/g, '$1./$2');
}

export function writeDefaultLib(): string[] {
  return SHARED_MODULES.map((source) => {
    const target = DEFAULT_LIB_DIR + basename(source);
    writeFileSync(target, defaultLibCopy(source));
    return target;
  });
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const f of writeDefaultLib()) process.stdout.write(`wrote ${f}\n`);
}
