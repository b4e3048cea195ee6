import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchTable, defineBench, percentile } from '@smart-citizen/bench';
import { isSmartCitizenError } from '@smart-citizen/core';
import { decodeImage, type RasterImage, toRgba } from '@smart-citizen/image';
import { sharedDataRoot } from '@smart-citizen/test-kit';
import { createZxingJsEngine } from '../src/engine/createZxingJsEngine.js';
import { createZxingWasmEngine } from '../src/engine/createZxingWasmEngine.js';
import type { QrEngine } from '../src/engine/QrEngine.js';
import { parseCardQr } from '../src/parse/parseCardQr.js';
import { readCardQr, readStrategies } from '../src/read/readCardQr.js';
import { fuzzPayload } from '../src/testing/fuzzPayload.js';
import { generateCardQrSet } from '../src/testing/generateCardQrSet.js';
import { randomCardPayload } from '../src/testing/randomCardPayload.js';
import { degradationLevels } from '../src/testing/renderCardImage.js';
import { createRng } from '@smart-citizen/core';

interface Sample {
  image: RasterImage;
  expected: string;
}

type Decoder = { name: string; read(img: RasterImage): Promise<{ text?: string; strategy?: string }> };

function realSet(dir: string): { files: string[]; expected: string[] } {
  const files: string[] = [];
  const expected: string[] = [];
  for (const sub of readdirSync(dir).sort()) {
    for (const f of readdirSync(join(dir, sub)).sort()) {
      const m = /^(.*)\.(png|jpe?g|webp)$/i.exec(f);
      if (!m) continue;
      const txt = join(dir, sub, `${m[1]}.txt`);
      if (!existsSync(txt)) continue;
      files.push(join(dir, sub, f));
      expected.push(readFileSync(txt, 'utf8'));
    }
  }
  return { files, expected };
}

async function jsQrDecoder(): Promise<Decoder> {
  const jsQR = (await import('jsqr')).default;
  return {
    name: 'jsQR 1.4',
    async read(img) {
      const rgba = img.channels === 4 ? img : toRgba(img);
      const r = jsQR(
        new Uint8ClampedArray(rgba.data.buffer, rgba.data.byteOffset, rgba.data.byteLength),
        img.width,
        img.height,
      );
      return r ? { text: r.data } : {};
    },
  };
}

function engineDecoder(name: string, engine: QrEngine): Decoder {
  return {
    name,
    async read(img) {
      const text = engine.decode(img)[0]?.text;
      return text === undefined ? {} : { text };
    },
  };
}

async function measure(decoder: Decoder, samples: Sample[]) {
  let ok = 0;
  const ms: number[] = [];
  const strategies: Record<string, number> = {};
  for (const s of samples) {
    const t0 = performance.now();
    const r = await decoder.read(s.image);
    ms.push(performance.now() - t0);
    if (r.text === s.expected) {
      ok++;
      if (r.strategy) strategies[r.strategy] = (strategies[r.strategy] ?? 0) + 1;
    }
  }
  return {
    ok,
    n: samples.length,
    rate: samples.length ? (100 * ok) / samples.length : 0,
    median: percentile(ms, 50),
    p90: percentile(ms, 90),
    strategies,
  };
}

function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export const bench = defineBench({
  name: 'qr-read',
  pkg: 'qr',
  description:
    'QR decode rate and time: this reader vs raw zxing-wasm, @zxing/library and jsQR on the real zxing sets and generated card photos; parser fuzz',
  async run(ctx) {
    const tables: BenchTable[] = [];
    const notes: string[] = [];
    const data: Record<string, unknown> = {};
    const wasm = await createZxingWasmEngine();
    const js = await createZxingJsEngine();
    const jsqr = await jsQrDecoder();
    const budget = 300;
    const ours = (accept: 'any' | 'card'): Decoder => ({
      name: 'readCardQr (this)',
      async read(img) {
        const r = await readCardQr(img, { engine: wasm, accept, timeBudgetMs: budget });
        return { ...(r.text !== undefined ? { text: r.text } : {}), ...(r.strategy ? { strategy: r.strategy } : {}) };
      },
    });
    const decoders = (accept: 'any' | 'card') => [
      ours(accept),
      engineDecoder('zxing-wasm 3.1.6 raw', wasm),
      engineDecoder('@zxing/library 0.23', js),
      jsqr,
    ];

    // Real sets.
    const root = join(sharedDataRoot, 'qr');
    const realRows: Record<string, string | number>[] = [];
    for (const set of ['zxing-cpp', 'zxing-blackbox']) {
      const dir = join(root, set);
      if (!existsSync(dir)) {
        notes.push(`../shared/data/qr/${set} is missing: real-set rows skipped`);
        continue;
      }
      const { files, expected } = realSet(dir);
      const samples: Sample[] = [];
      for (let i = 0; i < files.length; i++) {
        samples.push({ image: await decodeImage(new Uint8Array(readFileSync(files[i]!))), expected: expected[i]! });
      }
      ctx.progress(`${set}: ${samples.length} images`);
      for (const d of decoders('any')) {
        const r = await measure(d, samples);
        realRows.push({
          set,
          decoder: d.name,
          images: r.n,
          decoded: r.ok,
          'rate %': round(r.rate),
          'median ms': round(r.median, 2),
          'p90 ms': round(r.p90, 2),
        });
        if (d.name.startsWith('readCardQr')) data[`real:${set}:strategies`] = r.strategies;
      }
    }
    if (realRows.length)
      tables.push({ title: 'Real sets (../shared/data/qr): decoded text equals the .txt', rows: realRows });

    // Generated card photos.
    const count = ctx.quick ? 4 : 12;
    const levels = degradationLevels.map((_, i) => i);
    ctx.progress(`generating ${count} card photos per level (${levels.length} levels)`);
    const generated = await generateCardQrSet({ count, seed: 2026 });
    const genRows: Record<string, string | number>[] = [];
    const photoMs: number[] = [];
    // CPU time of this process: what one core spends, unlike wall time on a shared machine.
    const photoCpuMs: number[] = [];
    for (const level of levels) {
      const samples = generated.filter((g) => g.level === level).map((g) => ({ image: g.image, expected: g.text }));
      const row: Record<string, string | number> = {
        level,
        images: samples.length,
        'px/module': degradationLevels[level]!.pxPerModule,
      };
      for (const d of decoders('card')) {
        const r = await measure(d, samples);
        row[`${d.name} %`] = round(r.rate);
        row[`${d.name} median ms`] = round(r.median, 1);
        if (d.name.startsWith('readCardQr')) {
          data[`generated:${level}:strategies`] = r.strategies;
          if (level <= 2) {
            for (const s of samples) {
              const c0 = process.cpuUsage();
              const t0 = performance.now();
              await readCardQr(s.image, { engine: wasm, timeBudgetMs: budget });
              photoMs.push(performance.now() - t0);
              const c = process.cpuUsage(c0);
              photoCpuMs.push((c.user + c.system) / 1000);
            }
          }
        }
      }
      genRows.push(row);
    }
    tables.push({
      title: 'Generated CCCD card photos 1280×960 (payload must parse as a card for this reader)',
      rows: genRows,
    });
    tables.push({
      title: '1280×960 card photo, one core (generated levels 0–2, this reader)',
      rows: [
        {
          photos: photoMs.length,
          'median ms': round(percentile(photoMs, 50), 1),
          'p90 ms': round(percentile(photoMs, 90), 1),
        },
      ],
    });

    // Parser fuzz.
    const n = ctx.quick ? 100_000 : 1_000_000;
    const rng = createRng(424242);
    let typed = 0;
    let parsed = 0;
    let untyped = 0;
    let maxMs = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const text = fuzzPayload(rng, randomCardPayload(rng).text);
      const t = performance.now();
      try {
        parseCardQr(text);
        parsed++;
      } catch (err) {
        if (isSmartCitizenError(err) && err.code.startsWith('qr/')) typed++;
        else untyped++;
      }
      maxMs = Math.max(maxMs, performance.now() - t);
    }
    tables.push({
      title: 'parseCardQr fuzz (random and mutated payloads)',
      rows: [
        {
          payloads: n,
          parsed,
          'typed errors': typed,
          exceptions: untyped,
          'max ms': round(maxMs, 2),
          'total s': round((performance.now() - t0) / 1000, 1),
        },
      ],
    });
    notes.push(`ladder strategies, in order: ${readStrategies.join(', ')}; time budget ${budget} ms`);
    notes.push('times are wall-clock on this machine, which other jobs share: compare rows, not absolute figures');
    wasm.close();
    js.close();
    return { tables, data, notes };
  },
});
