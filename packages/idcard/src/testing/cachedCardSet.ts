import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '@smart-citizen/core';
import { cardTypes } from '../cardTypes.js';
import { type CardPhotoTruth, type GenerateCardSetOptions, generateCardSet } from './generateCardSet.js';

/**
 * Bumped whenever the generator draws differently for the same seed, so that a cached set is
 * never a mix of old and new renders (2: prints at life size as ink, session 9).
 */
const GENERATOR_VERSION = 2;

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
  const { data, count, types = cardTypes, sides = ['front', 'back'] as const, levels = [0, 1, 2, 3, 4] } = options;
  const key = (
    await sha256Hex(
      JSON.stringify({
        v: GENERATOR_VERSION,
        seed: options.seed ?? 1,
        photo: options.photo ?? {},
        sources: data.sources,
      }),
    )
  ).slice(0, 16);
  const dir = join(cacheDir, key);
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
