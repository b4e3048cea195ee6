/**
 * Test and bench helper: the deepface photo set (../shared/data/face/deepface, `identities.json`
 * listing each identity's files) and the models folder beside it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchContext, type BenchDefinition, type BenchResult, defineBench } from '@smart-citizen/bench';
import { sharedDataRoot } from '@smart-citizen/test-kit';

/** One photo of the set and the identity it shows. */
export interface DeepfacePhoto {
  label: string;
  file: string;
}

/** The photos listed in `dir/identities.json`, identity by identity in the file's order. */
export function deepfacePhotos(dir: string): DeepfacePhoto[] {
  const identities = JSON.parse(readFileSync(join(dir, 'identities.json'), 'utf8')) as Record<string, string[]>;
  return Object.entries(identities).flatMap(([label, files]) => files.map((file) => ({ label, file })));
}

/** The deepface set as a bench gets it: its folder, the models folder and the photos. */
export interface DeepfaceBenchSet {
  dir: string;
  modelsDir: string;
  photos: DeepfacePhoto[];
}

/**
 * A bench of this package over the deepface set: `run` gets the set; when the set or the models
 * folder is missing the bench notes so and measures nothing.
 */
export function defineDeepfaceBench(def: {
  name: string;
  description: string;
  run(ctx: BenchContext, set: DeepfaceBenchSet): Promise<BenchResult>;
}): BenchDefinition {
  return defineBench({
    name: def.name,
    pkg: 'face',
    description: def.description,
    async run(ctx) {
      const dir = join(sharedDataRoot, 'face/deepface');
      const modelsDir = join(sharedDataRoot, 'models');
      if (!existsSync(dir) || !existsSync(modelsDir)) {
        return { tables: [], notes: ['../shared/data/face/deepface or ../shared/data/models is missing: skipped'] };
      }
      return def.run(ctx, { dir, modelsDir, photos: deepfacePhotos(dir) });
    },
  });
}
