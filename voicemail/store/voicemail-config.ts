// The `voicemail` section of the configuration, and the folder of message and greeting files
// (`voicemail.dir`, relative to dataDir like the database).
import { isAbsolute, join } from 'node:path';
import type { PbxConfig } from '../../core/config/schema.ts';

export type VoicemailConfig = PbxConfig['voicemail'];

export function voicemailDir(cfg: Pick<PbxConfig, 'dataDir' | 'voicemail'>): string {
  return isAbsolute(cfg.voicemail.dir) ? cfg.voicemail.dir : join(cfg.dataDir, cfg.voicemail.dir);
}
