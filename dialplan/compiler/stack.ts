// Maps the sandbox's stack frames (`file:///pbx-dialplan/office@v.js:812:17`) back to the
// TypeScript the user wrote, so runtime errors name `office.ts:12:5` like compile errors do.
import { displayPath } from './diagnostics.ts';
import { originalPosition, type SourceMap } from './source-map.ts';
import { RUNTIME_DIR } from './paths.ts';

export function scriptFilename(name: string, version: string): string {
  return `file:///pbx-dialplan/${encodeURIComponent(name)}@${version}.js`;
}

export function mapStack(stack: string, filename: string, map: SourceMap, root: string): string {
  const escaped = filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const frame = new RegExp(`${escaped}:(\\d+):(\\d+)`, 'g');
  return stack.replace(frame, (whole, line: string, col: string) => {
    const pos = originalPosition(map, Number(line), Number(col));
    if (!pos) return whole;
    const file = pos.source.startsWith(RUNTIME_DIR) ? `pbx:runtime/${pos.source.slice(RUNTIME_DIR.length)}` : displayPath(pos.source, root);
    return `${file}:${pos.line}:${pos.column}`;
  });
}

/** The first frame in the user's own code, e.g. 'office.ts:12:5', for one-line messages. */
export function firstUserFrame(mappedStack: string): string | null {
  for (const m of mappedStack.matchAll(/\(?([^\s()]+\.ts):(\d+):(\d+)\)?/g)) {
    if (!m[1]!.startsWith('pbx:runtime/')) return `${m[1]}:${m[2]}:${m[3]}`;
  }
  return null;
}
