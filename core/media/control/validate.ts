// Checking request parameters that arrive as untyped JSON; failures are 400s naming the field.

import { badRequest } from '../util/media-error.ts';

export type Json = Record<string, unknown>;

export function asObject(v: unknown, what = 'params'): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badRequest(`${what} must be an object`);
  return v as Json;
}

export function str(p: Json, key: string): string {
  const v = p[key];
  if (typeof v !== 'string' || v === '') throw badRequest(`${key} must be a non-empty string`);
  return v;
}

export function optStr(p: Json, key: string): string | undefined {
  return p[key] === undefined ? undefined : str(p, key);
}

export function optNum(p: Json, key: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = p[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw badRequest(`${key} must be a number in ${min}..${max}`);
  return v;
}

export function optBool(p: Json, key: string): boolean | undefined {
  const v = p[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw badRequest(`${key} must be a boolean`);
  return v;
}

export function optEnum<T extends string>(p: Json, key: string, allowed: readonly T[]): T | undefined {
  const v = p[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw badRequest(`${key} must be one of ${allowed.join(', ')}`);
  return v as T;
}

export function optStrArray(p: Json, key: string): string[] | undefined {
  const v = p[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw badRequest(`${key} must be an array of strings`);
  return v as string[];
}
