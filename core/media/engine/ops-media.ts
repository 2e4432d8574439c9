// play.start / play.stop / record.start / record.stop / dtmf.send.

import path from 'node:path';
import type { RecordDone, Result } from '../control/protocol.ts';
import { asObject, optBool, optEnum, optNum, optStr, str, type Json } from '../control/validate.ts';
import type { Leg } from '../leg/leg.ts';
import { Player, preparePlaylist, type PlayItem } from '../player/player.ts';
import { Recorder } from '../recorder/recorder.ts';
import { WavWriter } from '../recorder/wav-writer.ts';
import { isToneName } from '../tones/tone-plan.ts';
import { badRequest, conflict, notFound } from '../util/media-error.ts';
import { event, type EngineContext } from './context.ts';

function playItems(p: Json): PlayItem[] {
  const items = p['items'];
  if (!Array.isArray(items) || items.length === 0) throw badRequest('items must be a non-empty array');
  return items.map((raw, i) => {
    const it = asObject(raw, `items[${i}]`);
    if (typeof it['file'] === 'string') return { file: it['file'] };
    if (typeof it['tone'] === 'string') {
      if (!isToneName(it['tone'])) throw badRequest(`items[${i}]: unknown tone ${it['tone']}`);
      const durationMs = optNum(it, 'durationMs', 1, 3_600_000);
      return durationMs === undefined ? { tone: it['tone'] } : { tone: it['tone'], durationMs };
    }
    const silenceMs = optNum(it, 'silenceMs', 1, 3_600_000);
    if (silenceMs !== undefined) return { silenceMs };
    throw badRequest(`items[${i}] needs file, tone or silenceMs`);
  });
}

export async function play(ctx: EngineContext, raw: unknown): Promise<Result<'play.start'>> {
  const p = asObject(raw);
  const leg = ctx.registry.leg(str(p, 'legId'));
  const items = playItems(p);
  const loopRaw = p['loop'];
  if (loopRaw !== undefined && typeof loopRaw !== 'boolean' && !(typeof loopRaw === 'number' && loopRaw >= 1)) throw badRequest('loop must be a boolean or a count');
  const prepared = await preparePlaylist(items, ctx.prompts);
  if (leg.isClosed) throw notFound(`leg ${leg.id} went away`);
  const opts: { loop?: boolean | number; bargeIn?: boolean } = {};
  if (loopRaw !== undefined) opts.loop = loopRaw as boolean | number;
  const bargeIn = optBool(p, 'bargeIn');
  if (bargeIn !== undefined) opts.bargeIn = bargeIn;
  ctx.registry.players.get(leg.id)?.stop('replaced');
  const player = new Player(ctx.registry.nextId('play'), leg, prepared, opts, ctx.mediaClock);
  ctx.registry.players.set(leg.id, player);
  player.ended.once((end) => {
    if (ctx.registry.players.get(leg.id) === player) ctx.registry.players.delete(leg.id);
    ctx.emit(event('playDone', { legId: leg.id, playId: player.id, ...end }));
  });
  player.start();
  return { playId: player.id };
}

export function stopPlay(ctx: EngineContext, raw: unknown): Result<'play.stop'> {
  const leg = ctx.registry.leg(str(asObject(raw), 'legId'));
  const player = ctx.registry.players.get(leg.id);
  player?.stop('stopped');
  return { stopped: player !== undefined };
}

export async function record(ctx: EngineContext, raw: unknown): Promise<Result<'record.start'>> {
  const p = asObject(raw);
  const legId = optStr(p, 'legId');
  const bridgeId = optStr(p, 'bridgeId');
  if ((legId === undefined) === (bridgeId === undefined)) throw badRequest('give exactly one of legId and bridgeId');
  const file = str(p, 'path');
  if (!path.isAbsolute(file)) throw badRequest('path must be absolute');
  let legs: Leg[];
  if (legId !== undefined) legs = [ctx.registry.leg(legId)];
  else {
    const b = ctx.registry.bridge(bridgeId!);
    legs = [b.a, b.b];
  }
  for (const r of ctx.registry.recorders.values()) if (r.recorder.path === file) throw conflict(`already recording to ${file}`);
  const rate = optNum(p, 'sampleRate', 8000, 48000) ?? Math.max(...legs.map((l) => l.sampleRate));
  let writer: WavWriter;
  try {
    writer = await WavWriter.create(file, rate);
  } catch (err) {
    throw badRequest(`cannot write ${file}: ${(err as Error).message}`);
  }
  const opts: { maxMs?: number; silenceMs?: number; beep?: boolean } = {};
  const maxMs = optNum(p, 'maxMs', 1);
  const silenceMs = optNum(p, 'silenceMs', 1);
  const beep = optBool(p, 'beep');
  if (maxMs !== undefined) opts.maxMs = maxMs;
  if (silenceMs !== undefined) opts.silenceMs = silenceMs;
  if (beep !== undefined) opts.beep = beep;
  const id = ctx.registry.nextId('rec');
  const recorder = new Recorder(id, legs, file, writer, opts, ctx.mediaClock, {
    silenceThresholdDbfs: ctx.config.recordSilenceThresholdDbfs,
    flushMs: ctx.config.recordFlushMs,
  });
  const entry = legId !== undefined ? { recorder, legId } : { recorder, bridgeId: bridgeId! };
  ctx.registry.recorders.set(id, entry);
  recorder.ended.once((end) => {
    ctx.registry.recorders.delete(id);
    ctx.emit(event('recordDone', recordDone(id, entry, end)));
  });
  recorder.start();
  return { recordId: id };
}

function recordDone(recordId: string, entry: { legId?: string; bridgeId?: string }, end: Omit<RecordDone, 'recordId'>): RecordDone {
  const done: RecordDone = { recordId, ...end };
  if (entry.legId !== undefined) done.legId = entry.legId;
  if (entry.bridgeId !== undefined) done.bridgeId = entry.bridgeId;
  return done;
}

export async function stopRecord(ctx: EngineContext, raw: unknown): Promise<Result<'record.stop'>> {
  const id = str(asObject(raw), 'recordId');
  const entry = ctx.registry.recorders.get(id);
  if (!entry) throw notFound(`no recording ${id}`);
  return recordDone(id, entry, await entry.recorder.stop('stopped'));
}

export async function sendDtmf(ctx: EngineContext, raw: unknown): Promise<Result<'dtmf.send'>> {
  const p = asObject(raw);
  const leg = ctx.registry.leg(str(p, 'legId'));
  const digits = str(p, 'digits');
  if (!/^[0-9*#A-Da-d]+$/.test(digits) || digits.length > 64) throw badRequest('digits must be 1-64 of 0-9 * # A-D');
  const mode = optEnum(p, 'mode', ['rfc4733', 'inband'] as const);
  await leg.sendDigits(digits, optNum(p, 'durationMs', 40, 5000) ?? 100, optNum(p, 'gapMs', 20, 5000) ?? 60, mode);
  return {};
}
