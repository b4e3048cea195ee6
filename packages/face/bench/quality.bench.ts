import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchTable } from '@smart-citizen/bench';
import { decodeImage, type RasterImage, resize, toGrey } from '@smart-citizen/image';
import { FaceVerifier } from '../src/FaceVerifier.js';
import { defineDeepfaceBench } from '../test/deepface.js';

/** Gamma of each light: the same photo under less (> 1) or more (< 1) light. */
const LIGHTS = { 'as taken': 1, 'dark γ1.6': 1.6, 'darker γ2.4': 2.4, 'light γ0.6': 0.6, 'lighter γ0.4': 0.4 } as const;
type Light = keyof typeof LIGHTS;

/**
 * The same photo under less or more light: a gamma curve on every channel, so shadows and
 * highlights move roughly as a camera's exposure would move them.
 */
function relight(img: RasterImage, light: Light): RasterImage {
  const g = LIGHTS[light];
  if (g === 1) return img;
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.round(255 * (v / 255) ** g);
  const data = new Uint8Array(img.data.length);
  for (let i = 0; i < data.length; i++) data[i] = lut[img.data[i] ?? 0] ?? 0;
  return { ...img, data };
}

/** The photo shrunk so its longest side is `side` px. */
function shrink(img: RasterImage, side: number): RasterImage {
  const s = side / Math.max(img.width, img.height);
  return resize(img, {
    width: Math.max(1, Math.round(img.width * s)),
    height: Math.max(1, Math.round(img.height * s)),
  });
}

const pct = (k: number, n: number) => (n ? Math.round((1000 * k) / n) / 10 : 0);

export const bench = defineDeepfaceBench({
  name: 'face-quality',
  description:
    'Quality-gate rejection rate per deepface identity as taken, darkened and lightened (skin-tone independence), and face detection rate per profile on full-size, small and greyscale photos',
  async run(ctx, { dir, modelsDir, photos: listed }) {
    // Listed identity by identity: --quick keeps the first two photos of each.
    const first = new Map(listed.map((p, i) => [p.label, i] as const).reverse());
    const photos: { label: string; file: string; image: RasterImage }[] = [];
    for (const [i, { label, file }] of listed.entries()) {
      if (ctx.quick && i - (first.get(label) ?? i) >= 2) continue;
      photos.push({
        label,
        file,
        image: await decodeImage(new Uint8Array(readFileSync(join(dir, file))), { maxDimension: 1280 }),
      });
    }
    const profiles = [
      ['default', await FaceVerifier.create({ profile: 'default', models: { dir: modelsDir } })],
      ['faceplugin', await FaceVerifier.create({ profile: 'faceplugin' })],
    ] as const;
    const lights = Object.keys(LIGHTS) as Light[];
    const gateRows: Record<string, string | number>[] = [];
    const codeCounts: Record<string, Record<string, number>> = {};
    for (const [name, fv] of profiles) {
      ctx.progress(`quality gate: ${name}`);
      const byLabel = new Map<string, Record<string, number>>();
      for (const p of photos) {
        const row = byLabel.get(p.label) ?? { photos: 0 };
        byLabel.set(p.label, row);
        row.photos = (row.photos ?? 0) + 1;
        for (const light of lights) {
          const r = await fv.embed(relight(p.image, light));
          const key = `${name}/${light}`;
          codeCounts[key] ??= {};
          if (r.status !== 'ok') {
            row[`${light}:rejected`] = (row[`${light}:rejected`] ?? 0) + 1;
            codeCounts[key]['no-face'] = (codeCounts[key]['no-face'] ?? 0) + 1;
            continue;
          }
          row[`${light}:brightness`] = (row[`${light}:brightness`] ?? 0) + r.quality.brightness;
          row[`${light}:faces`] = (row[`${light}:faces`] ?? 0) + 1;
          const errors = r.issues.filter((i) => i.severity === 'error');
          if (errors.length) row[`${light}:rejected`] = (row[`${light}:rejected`] ?? 0) + 1;
          for (const e of errors) codeCounts[key][e.code] = (codeCounts[key][e.code] ?? 0) + 1;
        }
      }
      for (const [label, row] of byLabel) {
        const n = row.photos ?? 0;
        const out: Record<string, string | number> = { profile: name, identity: label, photos: n };
        for (const light of lights) {
          const faces = row[`${light}:faces`] ?? 0;
          out[`${light} face grey`] = faces ? Math.round((row[`${light}:brightness`] ?? 0) / faces) : '-';
          out[`${light} rejected %`] = pct(row[`${light}:rejected`] ?? 0, n);
        }
        gateRows.push(out);
      }
    }
    const codeRows = Object.entries(codeCounts).map(([key, counts]) => ({
      'profile / light': key,
      errors:
        Object.entries(counts)
          .sort((a, b) => b[1] - a[1])
          .map(([c, k]) => `${c} ${k}`)
          .join(', ') || 'none',
    }));

    // Detection rate per profile: full-size colour, greyscale, small (longest side 160 / 100 px).
    const variants: [string, (img: RasterImage) => RasterImage][] = [
      ['colour ≤1280 px', (img) => img],
      ['grey ≤1280 px', (img) => toGrey(img)],
      ['colour 160 px', (img) => shrink(img, 160)],
      ['grey 160 px', (img) => toGrey(shrink(img, 160))],
      ['grey 100 px', (img) => toGrey(shrink(img, 100))],
      ['grey 64 px', (img) => toGrey(shrink(img, 64))],
      ['grey 48 px', (img) => toGrey(shrink(img, 48))],
    ];
    const detRows: Record<string, string | number>[] = [];
    for (const [name, fv] of profiles) {
      ctx.progress(`detection: ${name}`);
      const row: Record<string, string | number> = { profile: name, photos: photos.length };
      for (const [variant, make] of variants) {
        let found = 0;
        for (const p of photos) if ((await fv.detect(make(p.image))).faces.length > 0) found++;
        row[`${variant} %`] = pct(found, photos.length);
      }
      detRows.push(row);
    }
    for (const [, fv] of profiles) await fv.close();
    const tables: BenchTable[] = [
      {
        title:
          'Quality gate per deepface identity: mean face grey (face pixels of the aligned crop) and share of photos rejected (any quality error or no face), as taken and under gamma curves (grey^γ per channel)',
        rows: gateRows,
      },
      { title: 'Quality errors raised, per profile and light', rows: codeRows },
      { title: 'Face detection rate per profile (a face found in the photo)', rows: detRows },
    ];
    return { tables, notes: [`${photos.length} photos of ${first.size} identities`] };
  },
});
