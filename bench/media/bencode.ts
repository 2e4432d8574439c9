// Minimal bencode for rtpengine's NG control protocol (used only by the media benchmark).

export type BValue = string | number | BValue[] | { [k: string]: BValue };

export function bencode(v: BValue): Buffer {
  if (typeof v === 'number') return Buffer.from(`i${Math.trunc(v)}e`);
  if (typeof v === 'string') {
    const b = Buffer.from(v);
    return Buffer.concat([Buffer.from(`${b.length}:`), b]);
  }
  if (Array.isArray(v)) return Buffer.concat([Buffer.from('l'), ...v.map(bencode), Buffer.from('e')]);
  const keys = Object.keys(v).sort();
  return Buffer.concat([Buffer.from('d'), ...keys.flatMap((k) => [bencode(k), bencode(v[k]!)]), Buffer.from('e')]);
}

export function bdecode(buf: Buffer): BValue {
  let i = 0;
  const next = (): BValue => {
    const c = String.fromCharCode(buf[i]!);
    if (c === 'i') {
      const end = buf.indexOf(0x65, i);
      const n = Number(buf.toString('ascii', i + 1, end));
      i = end + 1;
      return n;
    }
    if (c === 'l' || c === 'd') {
      i++;
      const items: BValue[] = [];
      for (let guard = 0; buf[i] !== 0x65 && guard < 10_000; guard++) items.push(next());
      i++;
      if (c === 'l') return items;
      const obj: Record<string, BValue> = {};
      for (let k = 0; k + 1 < items.length; k += 2) obj[items[k] as string] = items[k + 1]!;
      return obj;
    }
    const colon = buf.indexOf(0x3a, i);
    const len = Number(buf.toString('ascii', i, colon));
    const s = buf.toString('utf8', colon + 1, colon + 1 + len);
    i = colon + 1 + len;
    return s;
  };
  return next();
}
