// The default dialplan (apps/default) is copied into the user's dialplan folder on first start, so
// `pbx start` gives working extensions, voicemail, IVR and a conference room, and the user edits a
// copy they own (hot reload picks the edits up) rather than files inside the installation.
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DEFAULT_DIR = fileURLToPath(new URL('../../../apps/default/', import.meta.url));

/** Copies the default dialplan into `dir` when `dir` does not exist yet; true if it did. */
export function installDefaultDialplan(dir: string, from = DEFAULT_DIR): boolean {
  if (existsSync(dir)) return false;
  mkdirSync(dir, { recursive: true });
  if (!existsSync(from)) return true;
  for (const name of readdirSync(from)) {
    if (name.endsWith('.test.ts') || name === 'node_modules') continue;
    cpSync(`${from}/${name}`, `${dir}/${name}`, { recursive: true });
  }
  return true;
}
