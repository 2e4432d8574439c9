// Settings of the PBX app derived from the configuration, in one place.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { PbxConfig } from '../config/schema.ts';

export function realmOf(cfg: PbxConfig): string {
  return cfg.pbx.realm ?? cfg.pbx.domain;
}

export function databasePath(cfg: PbxConfig): string {
  return isAbsolute(cfg.pbx.database) ? cfg.pbx.database : join(cfg.dataDir, cfg.pbx.database);
}

/** Where the app finds the engine: pbx.drachtio, else the engine's own admin socket settings. */
export function drachtioTarget(cfg: PbxConfig): { host: string; port: number; secret: string } {
  if (cfg.pbx.drachtio) return cfg.pbx.drachtio;
  const a = cfg.sip.admin;
  return { host: a.address === '0.0.0.0' ? '127.0.0.1' : a.address === '::' ? '::1' : a.address, port: a.port, secret: a.secret };
}

export const ADMIN_TOKEN_FILE = 'admin-token';

/**
 * The HTTP API's bearer token: pbx.http.adminToken, else the one in dataDir/admin-token, made on
 * first use (owner-only file) so the embedded defaults never ship a guessable token.
 */
export function adminToken(cfg: PbxConfig): { token: string; file?: string } {
  if (cfg.pbx.http.adminToken) return { token: cfg.pbx.http.adminToken };
  const file = join(cfg.dataDir, ADMIN_TOKEN_FILE);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) return { token, file };
  }
  mkdirSync(cfg.dataDir, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  return { token, file };
}
