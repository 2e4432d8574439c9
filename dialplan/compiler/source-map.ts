// A minimal source map v3 reader: enough to turn `file:///pbx/office.js:812:17` in a sandbox stack
// into `office.ts:12:5`. Mappings are decoded lazily, only when an error needs them.
import { resolve } from 'node:path';

export interface SourceMap {
  /** Absolute source paths. */
  sources: string[];
  mappings: string;
}

export interface Position {
  source: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export function parseSourceMap(json: string, mapDir: string): SourceMap {
  const raw = JSON.parse(json) as { sources: string[]; mappings: string; sourceRoot?: string };
  return { sources: raw.sources.map((s) => resolve(mapDir, raw.sourceRoot ?? '', s)), mappings: raw.mappings };
}

// Per generated line: segments of [generatedColumn, sourceIndex, sourceLine, sourceColumn], 0-based.
type Segment = [number, number, number, number];
const decoded = new WeakMap<SourceMap, Segment[][]>();

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...B64].map((c, i) => [c, i]));

function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of segment) {
    const d = DIGIT.get(c);
    if (d === undefined) throw new Error(`source map: bad VLQ character '${c}'`);
    value += (d & 31) * 2 ** shift;
    if (d & 32) {
      shift += 5;
      continue;
    }
    out.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    shift = 0;
  }
  return out;
}

function decode(map: SourceMap): Segment[][] {
  const cached = decoded.get(map);
  if (cached) return cached;
  const lines: Segment[][] = [];
  let src = 0;
  let srcLine = 0;
  let srcCol = 0;
  for (const line of map.mappings.split(';')) {
    const segs: Segment[] = [];
    let col = 0;
    for (const part of line.split(',')) {
      if (part === '') continue;
      const v = decodeVlq(part);
      col += v[0] ?? 0;
      if (v.length < 4) continue; // a generated-only segment has no source
      src += v[1]!;
      srcLine += v[2]!;
      srcCol += v[3]!;
      segs.push([col, src, srcLine, srcCol]);
    }
    lines.push(segs);
  }
  decoded.set(map, lines);
  return lines;
}

/** The original position of a generated 1-based line and column, if mapped. */
export function originalPosition(map: SourceMap, line: number, column: number): Position | null {
  const segs = decode(map)[line - 1];
  if (!segs || segs.length === 0) return null;
  let best: Segment | undefined;
  for (const s of segs) {
    if (s[0] > column - 1) break;
    best = s;
  }
  best ??= segs[0]!;
  const source = map.sources[best[1]];
  return source === undefined ? null : { source, line: best[2] + 1, column: best[3] + 1 };
}
