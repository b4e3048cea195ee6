import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '@smart-citizen/core';
import type { CardSide, CardType } from '@smart-citizen/idcard';
import { generateCardSide, loadGeneratorData, photographCard } from '@smart-citizen/idcard/testing';

/**
 * Writes photos of generated ID cards into `dir`: for each file, a card side generated and then
 * photographed at the given degradation level, one after the other from one seeded random stream.
 * @returns the generated sides, by file name
 */
export async function writeCardPhotos(
  dir: string,
  seed: number,
  photos: Record<string, [type: CardType, side: CardSide, level: number]>,
): Promise<Record<string, Awaited<ReturnType<typeof generateCardSide>>>> {
  const data = await loadGeneratorData(undefined);
  const rng = createRng(seed);
  const out: Record<string, Awaited<ReturnType<typeof generateCardSide>>> = {};
  for (const [file, [type, side, level]] of Object.entries(photos)) {
    const generated = await generateCardSide(type, side, data, rng);
    writeFileSync(join(dir, file), (await photographCard(generated.card.image, level, rng)).jpeg);
    out[file] = generated;
  }
  return out;
}
