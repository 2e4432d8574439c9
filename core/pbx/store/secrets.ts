// How user secrets are kept: SIP passwords as digest HA1 values (the registrar needs nothing
// else, and a leaked database does not reveal the password itself), voicemail PINs as salted
// scrypt hashes.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { ha1 } from '../auth/digest/algorithms.ts';

export interface Ha1Set {
  realm: string;
  md5: string;
  sha256: string;
  sha512_256: string;
}

export function ha1Set(extension: string, realm: string, password: string): Ha1Set {
  return {
    realm,
    md5: ha1('MD5', extension, realm, password),
    sha256: ha1('SHA-256', extension, realm, password),
    sha512_256: ha1('SHA-512-256', extension, realm, password),
  };
}

const SCRYPT = { N: 16384, r: 8, p: 1 };
const KEY_BYTES = 32;

export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(pin, salt, KEY_BYTES, SCRYPT);
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function pinMatches(stored: string, pin: string): boolean {
  const [kind, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !key) return false;
  const want = Buffer.from(key, 'base64');
  const got = scryptSync(pin, Buffer.from(salt, 'base64'), want.length, SCRYPT);
  return timingSafeEqual(want, got);
}

/** A password people can read aloud: 16 characters without look-alikes (about 90 bits). */
export function randomPassword(length = 16): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}
