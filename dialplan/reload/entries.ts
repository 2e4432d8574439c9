// Which files in the folder are dialplans: top-level `*.ts` files, except tests and declarations.
// Subfolders hold modules the dialplans import (they are bundled, not run on their own).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function isEntryName(file: string): boolean {
  return file.endsWith('.ts') && !/\.(test|spec|d)\.ts$/.test(file) && !file.startsWith('.');
}

export function listEntries(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (d.isFile() && isEntryName(d.name)) out.set(d.name.slice(0, -3), join(dir, d.name));
  }
  return out;
}
