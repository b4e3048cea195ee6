import { fileURLToPath } from 'node:url';
import type { BenchContext } from '@smart-citizen/bench';
import { evaluationHalf } from '@smart-citizen/qr/testing';
import { type CardSide, type CardType, cardTypes } from '../src/cardTypes.js';
import { sharedDataRoot } from '@smart-citizen/test-kit';
import { cachedCardPairSet, cachedCardSet, type GeneratorData, loadGeneratorData } from '../src/testing/index.js';

/** Generated photo sets are cached here (gitignored): the generator costs about 1 s of CPU per photo. */
export const cardSetCache = fileURLToPath(new URL('../../../.cache/idcard-sets', import.meta.url));

let data: Promise<GeneratorData> | undefined;

/**
 * The bench set: every type × side × level, `count` photos each, real faces and prints when ../shared
 * has them. Seed 2 is the set the reader was tuned and reported on; another seed is a fresh set that
 * no threshold has seen (`pnpm bench idcard seed=7`).
 */
export async function* benchCardSet(
  count: number,
  levels: readonly number[],
  seed = 2,
  only: { types?: readonly CardType[]; sides?: readonly CardSide[] } = {},
) {
  data ??= loadGeneratorData(sharedDataRoot);
  yield* cachedCardSet(
    {
      data: await data,
      count,
      levels,
      seed,
      ...(only.types ? { types: only.types } : {}),
      ...(only.sides ? { sides: only.sides } : {}),
    },
    cardSetCache,
  );
}

/** The photos of {@link benchCardSet} in the half asked for (the tune/report split hashes the photo's name). */
export async function* benchCardSetHalf({ count, levels, seed, half, types, sides }: Omit<CardSetArgs, 'arg'>) {
  for await (const s of benchCardSet(count, levels, seed, { ...(types ? { types } : {}), ...(sides ? { sides } : {}) }))
    if (half === 'all' || evaluationHalf(s.name) === half) yield s;
}

/** The paired bench set: `count` cards per type and level, each photographed front and back on its own (seed 3). */
export async function* benchCardPairSet(count: number, levels: readonly number[], types?: readonly CardType[]) {
  data ??= loadGeneratorData(sharedDataRoot);
  yield* cachedCardPairSet(
    { data: await data, count, levels, seed: 3, ...(types?.length ? { types } : {}) },
    cardSetCache,
  );
}

/**
 * What the bench sets are drawn from, as a line for the bench's notes. Without `../shared/data`
 * the generator draws stand-in portraits and prints and built-in names: figures then do not
 * compare with the README's, and the note says so; under CI (where nothing may skip) that is an
 * error.
 */
export async function benchDataSources(): Promise<string> {
  data ??= loadGeneratorData(sharedDataRoot);
  const s = (await data).sources;
  const standIns = s.names !== 'shared' || s.faces !== 'shared' || s.prints !== 'shared';
  if (standIns && process.env.CI === 'true')
    throw new Error(`the card generator found no ../shared/data (looked in ${sharedDataRoot}): no stand-ins under CI`);
  return `generator sources: names ${s.names}, portraits ${s.faces}, prints ${s.prints}${standIns ? ' — STAND-INS (no ../shared/data): not comparable with the README figures' : ''}`;
}

/** The arguments the card-set benches share: `count=N levels=A,B seed=N half=report|tune|all types=A,B sides=front|back`. */
export interface CardSetArgs {
  count: number;
  levels: number[];
  seed: number;
  half: 'report' | 'tune' | 'all';
  /** `types=cccd-2021,cancuoc-2024`: only these card types (a cell's photos are the same as in the whole set). */
  types?: CardType[];
  /** `sides=back`: only these sides. */
  sides?: CardSide[];
  /** Another `key=value` argument of the bench's own. */
  arg(key: string): string | undefined;
}

/** Read {@link CardSetArgs} from a bench's arguments; `half` defaults to `defaultHalf`. */
export function cardSetArgs(ctx: BenchContext, defaultHalf: CardSetArgs['half']): CardSetArgs {
  const arg = (k: string) => ctx.args.find((a) => a.startsWith(`${k}=`))?.slice(k.length + 1);
  const levels = (arg('levels') ?? '0,1,2,3,4').split(',').map(Number);
  const count = Number(arg('count') ?? (ctx.quick ? 1 : 2));
  // seed=N: another generated set (default 2, the set the reader was tuned on); a seed never used is a fresh check
  const seed = Number(arg('seed') ?? 2);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`seed=${arg('seed')}: a non-negative integer`);
  // half=report | tune | all: on a fresh seed no half was tuned on, so `all` scores every photo
  const half = arg('half') ?? defaultHalf;
  if (half !== 'report' && half !== 'tune' && half !== 'all') throw new Error(`half=${half}: report, tune or all`);
  const list = <T extends string>(key: string, allowed: readonly T[]): T[] | undefined => {
    const v = arg(key);
    if (v === undefined) return undefined;
    const items = v.split(',');
    const bad = items.find((t) => !(allowed as readonly string[]).includes(t));
    if (bad !== undefined || items.length === 0) throw new Error(`${key}=${v}: a list of ${allowed.join(', ')}`);
    return items as T[];
  };
  const types = list('types', cardTypes);
  const sides = list('sides', ['front', 'back'] as const);
  return { count, levels, seed, half, arg, ...(types ? { types } : {}), ...(sides ? { sides } : {}) };
}

/**
 * `qrclock=cpu`: the reader's QR step (a 300 ms budget, `IdCardReader` option `qr`) times itself
 * on this process's CPU clock instead of the wall clock, so what the QR reads does not depend on
 * the machine's load: on a 2-core machine at load 12 the wall-clock budget leaves the QR a sixth of
 * its time. The QR runs alone on the main thread (the line OCR has finished), so on a quiet machine
 * both clocks give the same budget. Returns the reader's `qr` option and a line for the notes.
 */
export function benchQrClock(ctx: BenchContext): { qr?: { now: () => number }; note: string } {
  if (!ctx.args.includes('qrclock=cpu')) return { note: 'QR budget on the wall clock (load-dependent)' };
  const now = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  return { qr: { now }, note: 'QR budget on the process CPU clock (qrclock=cpu: load-independent)' };
}
