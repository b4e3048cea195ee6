/**
 * The FVC B-sets in ../shared/data/fingerprint and the FVC protocol over them, shared by the
 * benchmark and the real-data tests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage, type RasterImage } from '@smart-citizen/image';

/** One FVC database: folder under fingerprint/, and its resolution. */
export interface FvcSet {
  name: string;
  dir: string;
  dpi: number;
}

/** The four B-sets with their dpi (../shared/data/README.md). */
export const FVC_SETS: readonly FvcSet[] = [
  { name: 'FVC2002 DB1', dir: 'fvc2002/DB1_B', dpi: 500 },
  { name: 'FVC2002 DB2', dir: 'fvc2002/DB2_B', dpi: 569 },
  { name: 'FVC2002 DB3', dir: 'fvc2002/DB3_B', dpi: 500 },
  { name: 'FVC2004 DB1', dir: 'fvc2004/DB1_B', dpi: 500 },
];

/** One impression: finger id, impression number, decoded image. */
export interface Impression {
  finger: string;
  impression: number;
  image: RasterImage;
}

/** Decode every `FFF_I.png` of a set, sorted by finger then impression; undefined when absent. */
export async function loadFvcSet(root: string, set: FvcSet): Promise<Impression[] | undefined> {
  const dir = join(root, 'fingerprint', set.dir);
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir)
    .filter((f) => /^\d+_\d+\.png$/.test(f))
    .sort();
  const out: Impression[] = [];
  for (const f of files) {
    const [finger, imp] = f.replace('.png', '').split('_') as [string, string];
    out.push({ finger, impression: Number(imp), image: await decodeImage(new Uint8Array(readFileSync(join(dir, f)))) });
  }
  return out;
}

/**
 * Which half a finger belongs to: a seeded FNV-1a hash of `<set dir>/<finger>` (CONVENTIONS:
 * tune on one half, report the other). Fingers, not images, are split, so no finger is in both.
 */
export function fingerHalf(set: FvcSet, finger: string): 'tune' | 'report' {
  let h = 2166136261;
  for (const ch of `${set.dir}/${finger}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return ((h >>> 7) & 1) === 0 ? 'tune' : 'report';
}

/** Index pairs of the FVC protocol over impressions of one database. */
export interface FvcPairs {
  /** All same-finger pairs (i < j): 28 per finger with 8 impressions. */
  genuine: [number, number][];
  /** First impressions of different fingers (FVC's impostor set): 45 for 10 fingers. */
  impostor: [number, number][];
  /** All cross-finger pairs (the fuller impostor distribution). */
  impostorAll: [number, number][];
}

/** @param keep - only fingers for which this returns true take part. */
export function fvcPairs(items: readonly Impression[], keep: (finger: string) => boolean = () => true): FvcPairs {
  const genuine: [number, number][] = [];
  const impostor: [number, number][] = [];
  const impostorAll: [number, number][] = [];
  for (let a = 0; a < items.length; a++) {
    const ia = items[a] as Impression;
    if (!keep(ia.finger)) continue;
    for (let b = a + 1; b < items.length; b++) {
      const ib = items[b] as Impression;
      if (!keep(ib.finger)) continue;
      if (ia.finger === ib.finger) genuine.push([a, b]);
      else {
        impostorAll.push([a, b]);
        if (ia.impression === 1 && ib.impression === 1) impostor.push([a, b]);
      }
    }
  }
  return { genuine, impostor, impostorAll };
}
