import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataRoot } from '@smart-citizen/test-kit';

/** One real photo's embedding with its identity label (never logged). */
export interface RealFace {
  label: string;
  embedding: Float32Array;
}

/**
 * Embeddings of the deepface photos (61 photos, 13 people) with `@smart-citizen/face`
 * (`fr_feature` embedder), or `undefined` when ../shared/data is not there.
 */
export async function realFaces(profile: 'default' | 'yunet-minifasnet' = 'default'): Promise<RealFace[] | undefined> {
  const dir = join(sharedDataRoot, 'face/deepface');
  const modelsDir = join(sharedDataRoot, 'models');
  if (!existsSync(join(dir, 'identities.json')) || !existsSync(modelsDir)) return undefined;
  const { FaceVerifier } = await import('@smart-citizen/face');
  const identities = JSON.parse(readFileSync(join(dir, 'identities.json'), 'utf8')) as Record<string, string[]>;
  const fv = await FaceVerifier.create({ profile, models: { dir: modelsDir }, liveness: false });
  const out: RealFace[] = [];
  try {
    for (const [label, files] of Object.entries(identities)) {
      for (const f of files) {
        const r = await fv.embed(new Uint8Array(readFileSync(join(dir, f))));
        if (r.status === 'ok') out.push({ label, embedding: r.embedding });
      }
    }
  } finally {
    await fv.close();
  }
  return out;
}
