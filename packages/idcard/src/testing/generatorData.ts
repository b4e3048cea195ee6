import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Rng } from '@smart-citizen/core';
import { decodeImage, type RasterImage, resize, toGrey } from '@smart-citizen/image';
import { isVietnameseWord } from '../fields/nameLexicon.js';
import { CANONICAL_PX_PER_MM } from '../layout/canonical.js';
import { canvasToRaster, loadCanvas } from './canvasRuntime.js';
import { type AdminUnit, builtinNameLists, type NameLists } from './randomIdentity.js';

/** What the generator draws from: names, administrative units, portraits, prints. */
export interface GeneratorData {
  names: NameLists;
  units: AdminUnit[];
  /** Portrait source: a real photo from `face/deepface`, or a drawn stand-in. */
  portrait(rng: Rng): Promise<RasterImage>;
  /** The same with the file it came from (relative to the shared data folder; absent for a drawn stand-in). */
  pickPortrait(rng: Rng): Promise<{ image: RasterImage; source?: string }>;
  /** A fingerprint image (`fingerprint/fvc*`) at the card's resolution, or a drawn ridge pattern. */
  print(rng: Rng): Promise<RasterImage>;
  /** Which sources are real (`shared`) and which are generated stand-ins. */
  sources: { names: 'shared' | 'builtin'; faces: 'shared' | 'generated'; prints: 'shared' | 'generated' };
}

/** Some name lists write Đ/đ as the look-alike Icelandic Ð/ð (U+00D0/U+00F0): a card prints Đ. */
const fixEth = (s: string): string => s.replace(/\u00d0/g, '\u0110').replace(/\u00f0/g, '\u0111');

function readTsv(file: string): [string, number][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((p) => p.length === 2 && p[0])
    .map(([n, c]): [string, number] => [fixEth((n as string).normalize('NFC')), Number(c)])
    .filter(([n]) => n.split(' ').every(isVietnameseWord));
}

function readLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => fixEth(l.trim().normalize('NFC')))
    .filter((l) => l.split(' ').every(isVietnameseWord)); // an empty line fails too
}

function listImages(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(jpe?g|png)$/i.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** A drawn head-and-shoulders stand-in when no face photos are available. */
async function drawnPortrait(rng: Rng): Promise<RasterImage> {
  const { createCanvas } = await loadCanvas();
  const w = 240;
  const h = 306;
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = `rgb(${rng.int(200, 235)},${rng.int(215, 240)},${rng.int(230, 250)})`;
  ctx.fillRect(0, 0, w, h);
  const skin = [rng.int(170, 235), rng.int(130, 190), rng.int(100, 160)];
  ctx.fillStyle = `rgb(${rng.int(20, 70)},${rng.int(20, 70)},${rng.int(40, 90)})`;
  ctx.beginPath();
  ctx.ellipse(w / 2, h * 1.02, w * 0.48, h * 0.3, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = `rgb(${skin[0]},${skin[1]},${skin[2]})`;
  ctx.beginPath();
  ctx.ellipse(w / 2, h * 0.45, w * rng.int(24, 30) * 0.01, h * 0.27, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = 'rgb(25,20,20)';
  ctx.beginPath();
  ctx.ellipse(w / 2, h * 0.27, w * 0.3, h * 0.13, 0, Math.PI, Math.PI * 2);
  ctx.fill();
  for (const dx of [-0.11, 0.11]) {
    ctx.beginPath();
    ctx.ellipse(w / 2 + dx * w, h * 0.42, 9, 5, 0, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.strokeStyle = 'rgb(120,50,50)';
  ctx.lineWidth = 4;
  ctx.beginPath();
  ctx.arc(w / 2, h * 0.53, 22, 0.2 * Math.PI, 0.8 * Math.PI);
  ctx.stroke();
  return canvasToRaster(ctx, w, h);
}

/** The resolution of an FVC image by its folder (../shared/data/README.md: FVC2002 DB2 is 569 dpi, the others 500). */
export function fvcDpi(file: string): number {
  return /fvc2002[\\/]DB2_B/.test(file) ? 569 : 500;
}

/**
 * A print of `dpi` (see {@link liveImageAsInk}) resampled to the card's own resolution
 * ({@link CANONICAL_PX_PER_MM}), so the generator prints it at life size.
 */
export function printAtCardScale(image: RasterImage, dpi: number): RasterImage {
  const f = CANONICAL_PX_PER_MM / (dpi / 25.4);
  return resize(image, {
    width: Math.max(1, Math.round(image.width * f)),
    height: Math.max(1, Math.round(image.height * f)),
    method: 'area',
  });
}

/**
 * A live scan turned into what an inked finger leaves on a card: ink where the ridges touched,
 * bare card elsewhere. A sensor image carries its own background (a capacitive sensor's is mid
 * grey); printing it as it is would put a grey square into the print box. Ridges are found by
 * local contrast (mean and deviation over a window of about two ridge periods), the ink density
 * follows the ridge/valley signal, and areas without ridges (deviation well under the image's
 * typical one) are left without ink.
 */
export function liveImageAsInk(image: RasterImage): RasterImage {
  const g = toGrey(image);
  const { width: w, height: h } = g;
  const r = 10;
  const sum = new Float64Array((w + 1) * (h + 1));
  const sq = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let rs = 0;
    let rq = 0;
    for (let x = 0; x < w; x++) {
      const v = g.data[y * w + x] as number;
      rs += v;
      rq += v * v;
      const i = (y + 1) * (w + 1) + x + 1;
      sum[i] = (sum[i - w - 1] as number) + rs;
      sq[i] = (sq[i - w - 1] as number) + rq;
    }
  }
  const mean = new Float32Array(w * h);
  const dev = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(w, x + r + 1);
      const n = (y1 - y0) * (x1 - x0);
      const at = (a: Float64Array) =>
        (a[y1 * (w + 1) + x1] as number) -
        (a[y0 * (w + 1) + x1] as number) -
        (a[y1 * (w + 1) + x0] as number) +
        (a[y0 * (w + 1) + x0] as number);
      const m = at(sum) / n;
      mean[y * w + x] = m;
      dev[y * w + x] = Math.sqrt(Math.max(0, at(sq) / n - m * m));
    }
  }
  const sorted = Float32Array.from(dev).sort();
  const typical = (sorted[Math.floor(sorted.length * 0.9)] as number) || 1;
  const out = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const d = dev[i] as number;
    const t = Math.min(1, Math.max(0, (d / typical - 0.25) / 0.2));
    const fg = t * t * (3 - 2 * t);
    const n = ((g.data[i] as number) - (mean[i] as number)) / (2 * d + 1);
    const ink = Math.min(1, Math.max(0, 0.5 - 1.2 * n)) * fg;
    out[i] = Math.round(255 - ink * 215);
  }
  return { width: w, height: h, channels: 1, data: out };
}

/** A drawn loop/whorl ridge pattern when no fingerprint images are available. */
function drawnPrint(rng: Rng): RasterImage {
  const w = 200;
  const h = 240;
  const data = new Uint8Array(w * h);
  const cx = w * (0.4 + 0.2 * rng.next());
  const cy = h * (0.4 + 0.2 * rng.next());
  const period = 7 + rng.next() * 3;
  const swirl = 0.02 + rng.next() * 0.03;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = (x - cx) / (w * 0.45);
      const dy = (y - cy) / (h * 0.5);
      const inside = dx * dx + dy * dy;
      const r = Math.hypot(x - cx, (y - cy) * 1.2);
      const a = Math.atan2(y - cy, x - cx);
      const v = Math.sin((2 * Math.PI * r) / period + swirl * r * Math.sin(a) + 0.8 * Math.sin(2 * a));
      data[y * w + x] = inside > 1 ? 255 : v > 0.1 ? 70 + rng.int(0, 40) : 235;
    }
  }
  return { width: w, height: h, channels: 1, data };
}

/**
 * The generator's sources: `../shared/data` names, deepface photos and FVC prints when
 * `sharedDir` holds them, built-in lists and drawn stand-ins otherwise (so tests run on a fresh
 * clone); administrative units from `@smart-citizen/forms` (old and 2025 units).
 *
 * @param sharedDir - Path of `../shared/data`, or undefined for stand-ins only.
 */
export async function loadGeneratorData(sharedDir?: string): Promise<GeneratorData> {
  const namesDir = sharedDir ? join(sharedDir, 'names') : undefined;
  const sharedNames = namesDir !== undefined && existsSync(join(namesDir, 'family.tsv'));
  const names: NameLists = sharedNames
    ? {
        family: readTsv(join(namesDir, 'family.tsv')),
        givenMale: readLines(join(namesDir, 'given-names-male.txt')),
        givenFemale: readLines(join(namesDir, 'given-names-female.txt')),
      }
    : builtinNameLists;
  const { loadAddressTables } = await import('@smart-citizen/forms');
  const tables = await loadAddressTables();
  const units: AdminUnit[] = tables.mappings.flatMap((m) =>
    m.old_ward_name && m.old_district_name && m.old_province_name
      ? [
          {
            oldWard: m.old_ward_name,
            oldDistrict: m.old_district_name,
            oldProvince: m.old_province_name,
            newWard: m.new_ward_name,
            newProvince: m.new_province_name,
          },
        ]
      : [],
  );
  const faceFiles = sharedDir
    ? listImages(join(sharedDir, 'face', 'deepface')).filter((f) => !f.includes('couple'))
    : [];
  const printFiles = sharedDir ? listImages(join(sharedDir, 'fingerprint')) : [];
  const decodeSmall = async (file: string, max: number) => {
    const img = await decodeImage(new Uint8Array(readFileSync(file)), { maxDimension: max });
    return img;
  };
  const pickPortrait = async (rng: Rng): Promise<{ image: RasterImage; source?: string }> => {
    if (!faceFiles.length || !sharedDir) return { image: await drawnPortrait(rng) };
    const file = rng.pick(faceFiles);
    return { image: await decodeSmall(file, 480), source: relative(sharedDir, file) };
  };
  return {
    names,
    units,
    sources: {
      names: sharedNames ? 'shared' : 'builtin',
      faces: faceFiles.length ? 'shared' : 'generated',
      prints: printFiles.length ? 'shared' : 'generated',
    },
    portrait: async (rng) => (await pickPortrait(rng)).image,
    pickPortrait,
    print: async (rng) => {
      if (!printFiles.length) return drawnPrint(rng);
      const file = rng.pick(printFiles);
      return printAtCardScale(liveImageAsInk(await decodeSmall(file, 640)), fvcDpi(file));
    },
  };
}
