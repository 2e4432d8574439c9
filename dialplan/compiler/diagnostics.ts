// One shape for every compile-time complaint (esbuild or TypeScript), printed the way editors and
// terminals link it: `office.ts:12:5 - error TS2345: …`.
import { isAbsolute, relative } from 'node:path';

export interface Diagnostic {
  /** Relative to the dialplan folder when inside it. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** 'TS2345' for TypeScript, 'bundle' for esbuild. */
  code: string;
  message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column} - error ${d.code}: ${d.message}`;
}

export function formatDiagnostics(list: readonly Diagnostic[]): string {
  return list.map(formatDiagnostic).join('\n');
}

/** A path as users should see it: relative to the dialplan folder when it is inside it. */
export function displayPath(file: string, root: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(root, file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
