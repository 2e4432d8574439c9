// Reading the config file: JSON, validated, with every error named by its path.
import { readFileSync, existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { configSchema, type PbxConfig, type PbxConfigInput } from './schema.ts';

export class ConfigError extends Error {
  constructor(readonly problems: string[], source: string) {
    super(`invalid configuration in ${source}:\n  ${problems.join('\n  ')}`);
  }
}

export function parseConfig(input: unknown, source = 'config'): PbxConfig {
  const r = configSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ConfigError(problems, source);
}

/** Loads `path` (relative dataDir resolved against the file's folder); no path = embedded defaults. */
export function loadConfig(path?: string, overrides: PbxConfigInput = {}): PbxConfig {
  if (!path) {
    const cfg = parseConfig(overrides, 'embedded defaults');
    cfg.dataDir = resolve(cfg.dataDir);
    return cfg;
  }
  const abs = resolve(path);
  if (!existsSync(abs)) throw new ConfigError([`file not found: ${abs}`], abs);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(abs, 'utf8'));
  } catch (err) {
    throw new ConfigError([`not valid JSON: ${(err as Error).message}`], abs);
  }
  const cfg = parseConfig({ ...(raw as object), ...overrides }, abs);
  cfg.dataDir = resolve(dirname(abs), cfg.dataDir);
  return cfg;
}
