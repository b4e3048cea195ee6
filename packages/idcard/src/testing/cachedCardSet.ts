import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '@smart-citizen/core';
import { cardTypes } from '../cardTypes.js';
import type { CardType } from '../cardTypes.js';
import type { BarcodeWriter } from '@smart-citizen/qr/testing';
import { createBarcodeWriter } from '@smart-citizen/qr/testing';
import {
  type CardPhotoTruth,
  cardPairRng,
  type GenerateCardSetOptions,
  generateCardPair,
  generateCardSet,
} from './generateCardSet.js';

/**
 * Bumped whenever the generator draws differently for the same seed, so that a cached set is
 * never a mix of old and new renders (2: prints at life size as ink, session 9; 3: name lists without
 * VNI-encoded words, session 15).
 */
const GENERATOR_VERSION = 3;

/** The cache folder name of a set: generator version, seed, photo options and data sources. */
async function setKey(options: GenerateCardSetOptions, kind?: string): Promise<string> {
  const key = {
    v: GENERATOR_VERSION,
    seed: options.seed ?? 1,
    photo: options.photo ?? {},
    sources: options.data.sources,
  };
  const hash = (await sha256Hex(JSON.stringify(kind ? { ...key, kind } : key))).slice(0, 16);
  return kind ? `${kind}-${hash}` : hash;
}

/** A generated photo as stored: the JPEG and its ground truth, with a stable name for the tune/report split. */
export interface CachedCardPhoto {
  /** `<type>-<side>-L<level>-<index>`: stable across runs with the same seed. */
  name: string;
  jpeg: Uint8Array;
  truth: CardPhotoTruth;
}

/**
 * {@link generateCardSet} with its photos kept on disk: each card type × side × level cell is
 * rendered once and stored (`NAME.jpg` + `NAME.json`) under `cacheDir/<hash of the seed, photo
 * options and data sources>/`; later runs read it back. A cell's photos depend only on the seed
 * and the cell, so a run asking for more photos per cell regenerates only the cells that lack
 * them, and a smaller count reads the first photos of a larger one. The cache only saves the
 * generator's CPU time (about 1 s per photo on a quiet core); delete the folder to regenerate.
 *
 * @param options - Set options, as for {@link generateCardSet}.
 * @param cacheDir - Folder for the cached sets (keep it out of git).
 */
export async function* cachedCardSet(
  options: GenerateCardSetOptions,
  cacheDir: string,
): AsyncGenerator<CachedCardPhoto> {
  const { count, types = cardTypes, sides = ['front', 'back'] as const, levels = [0, 1, 2, 3, 4] } = options;
  const dir = join(cacheDir, await setKey(options));
  mkdirSync(dir, { recursive: true });
  for (const type of types) {
    for (const side of sides) {
      for (const level of levels) {
        const names = Array.from(
          { length: count },
          (_, i) => `${type}-${side}-L${level}-${String(i).padStart(3, '0')}`,
        );
        const file = (name: string, ext: string) => join(dir, `${name}.${ext}`);
        if (names.every((n) => existsSync(file(n, 'json')))) {
          for (const name of names) {
            yield {
              name,
              jpeg: new Uint8Array(readFileSync(file(name, 'jpg'))),
              truth: JSON.parse(readFileSync(file(name, 'json'), 'utf8')) as CardPhotoTruth,
            };
          }
          continue;
        }
        let i = 0;
        for await (const p of generateCardSet({ ...options, types: [type], sides: [side], levels: [level] })) {
          const name = names[i++] as string;
          writeFileSync(file(name, 'jpg'), p.jpeg);
          // the truth last: a photo counts as cached once its truth is there
          writeFileSync(`${file(name, 'json')}.tmp`, JSON.stringify(p.truth));
          renameSync(`${file(name, 'json')}.tmp`, file(name, 'json'));
          yield { name, jpeg: p.jpeg, truth: p.truth };
        }
      }
    }
  }
}

/** A cached front/back pair: one card, each side photographed on its own at the same level. */
export interface CachedCardPair {
  /** `<type>-pair-L<level>-<index>`: stable across runs with the same seed (the tune/report split hashes it). */
  name: string;
  type: CardType;
  level: number;
  front: { jpeg: Uint8Array; truth: CardPhotoTruth };
  back: { jpeg: Uint8Array; truth: CardPhotoTruth };
}

/** Options of {@link cachedCardPairSet}: those of a set without `sides`, `count` pairs per card type and level. */
export type CardPairSetOptions = Omit<GenerateCardSetOptions, 'sides'>;

/**
 * Front/back pairs of the same holder ({@link generateCardPair}) kept on disk like
 * {@link cachedCardSet}: `NAME.front.jpg`, `NAME.back.jpg` and `NAME.json` (both truths) under
 * `cacheDir/pairs-<hash of generator version, seed, photo options and data sources>/`. Each pair
 * has its own random source ({@link cardPairRng}), so asking for more pairs renders only the new ones.
 *
 * @param options - Types, levels, `count` pairs per type and level, seed, data.
 * @param cacheDir - Folder for the cached sets (keep it out of git).
 */
export async function* cachedCardPairSet(
  options: CardPairSetOptions,
  cacheDir: string,
): AsyncGenerator<CachedCardPair> {
  const { data, count, types = cardTypes, levels = [0, 1, 2, 3, 4], seed = 1 } = options;
  const dir = join(cacheDir, await setKey(options, 'pairs'));
  mkdirSync(dir, { recursive: true });
  let writer: BarcodeWriter | undefined;
  for (const type of types) {
    for (const level of levels) {
      for (let i = 0; i < count; i++) {
        const name = `${type}-pair-L${level}-${String(i).padStart(3, '0')}`;
        const file = (ext: string) => join(dir, `${name}.${ext}`);
        if (existsSync(file('json'))) {
          const truth = JSON.parse(readFileSync(file('json'), 'utf8')) as {
            front: CardPhotoTruth;
            back: CardPhotoTruth;
          };
          yield {
            name,
            type,
            level,
            front: { jpeg: new Uint8Array(readFileSync(file('front.jpg'))), truth: truth.front },
            back: { jpeg: new Uint8Array(readFileSync(file('back.jpg'))), truth: truth.back },
          };
          continue;
        }
        writer ??= await createBarcodeWriter();
        const p = await generateCardPair(type, level, data, cardPairRng(seed, type, level, i), {
          writer,
          ...(options.photo ? { photo: options.photo } : {}),
        });
        writeFileSync(file('front.jpg'), p.front.jpeg);
        writeFileSync(file('back.jpg'), p.back.jpeg);
        // the truth last: a pair counts as cached once its truth is there
        writeFileSync(`${file('json')}.tmp`, JSON.stringify({ front: p.front.truth, back: p.back.truth }));
        renameSync(`${file('json')}.tmp`, file('json'));
        yield {
          name,
          type,
          level,
          front: { jpeg: p.front.jpeg, truth: p.front.truth },
          back: { jpeg: p.back.jpeg, truth: p.back.truth },
        };
      }
    }
  }
}
