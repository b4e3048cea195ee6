import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '@smart-citizen/core';
import { type CardPhotoTruth, type GenerateCardSetOptions, generateCardSet } from './generateCardSet.js';

/** A generated photo as stored: the JPEG and its ground truth, with a stable name for the tune/report split. */
export interface CachedCardPhoto {
  /** `<type>-<side>-L<level>-<index>`: stable across runs with the same options. */
  name: string;
  jpeg: Uint8Array;
  truth: CardPhotoTruth;
}

/**
 * {@link generateCardSet} with its photos kept on disk: the first run renders and stores each
 * photo (`NAME.jpg` + `NAME.json`) under `cacheDir/<hash of the options and data sources>/`,
 * later runs read them back. The same options give the same set, so the cache only saves the
 * generator's CPU time (about 1 s per photo); delete the folder to regenerate.
 *
 * @param options - Set options, as for {@link generateCardSet}.
 * @param cacheDir - Folder for the cached sets (keep it out of git).
 */
export async function* cachedCardSet(
  options: GenerateCardSetOptions,
  cacheDir: string,
): AsyncGenerator<CachedCardPhoto> {
  const { data, ...rest } = options;
  const key = (await sha256Hex(JSON.stringify({ v: 1, ...rest, sources: data.sources }))).slice(0, 16);
  const dir = join(cacheDir, key);
  mkdirSync(dir, { recursive: true });
  const index = new Map<string, number>();
  const nameOf = (t: { type: string; side: string; level: number }): string => {
    const group = `${t.type}-${t.side}-L${t.level}`;
    const i = index.get(group) ?? 0;
    index.set(group, i + 1);
    return `${group}-${String(i).padStart(3, '0')}`;
  };
  const manifest = join(dir, 'complete.json');
  if (existsSync(manifest)) {
    for (const name of JSON.parse(readFileSync(manifest, 'utf8')) as string[]) {
      yield {
        name,
        jpeg: new Uint8Array(readFileSync(join(dir, `${name}.jpg`))),
        truth: JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as CardPhotoTruth,
      };
    }
    return;
  }
  const names: string[] = [];
  for await (const p of generateCardSet(options)) {
    const name = nameOf(p.truth);
    writeFileSync(join(dir, `${name}.jpg`), p.jpeg);
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(p.truth));
    names.push(name);
    yield { name, jpeg: p.jpeg, truth: p.truth };
  }
  // written last: an interrupted run regenerates rather than reading half a set
  writeFileSync(`${manifest}.tmp`, JSON.stringify(names));
  renameSync(`${manifest}.tmp`, manifest);
}
