// Watches the dialplan folder (recursively: local imports may live in subfolders) and reports the
// changed paths in batches, so an editor's save-as-rename-and-write is one reload, not three.
import { watch, type FSWatcher } from 'node:fs';
import { resolve } from 'node:path';
import type { DialplanLog } from '../util/log.ts';

export interface FolderWatcher {
  close(): void;
}

export function watchFolder(dir: string, onChange: (paths: string[]) => void, o: { debounceMs: number; log: DialplanLog }): FolderWatcher {
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    timer = null;
    const paths = [...changed];
    changed.clear();
    if (paths.length > 0) onChange(paths);
  };
  const w: FSWatcher = watch(dir, { recursive: true }, (_event, file) => {
    changed.add(file ? resolve(dir, file.toString()) : dir);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, o.debounceMs);
  });
  w.on('error', (err) => o.log('error', `dialplan folder watch failed on ${dir}: ${err.message}`));
  return {
    close() {
      if (timer) clearTimeout(timer);
      w.close();
    },
  };
}
