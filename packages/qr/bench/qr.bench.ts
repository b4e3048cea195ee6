import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { type BenchTable, defineBench, percentile } from '@smart-citizen/bench';
import { createRng, isSmartCitizenError } from '@smart-citizen/core';
import { decodeImage, type RasterImage, toRgba } from '@smart-citizen/image';
import { sharedDataRoot } from '@smart-citizen/test-kit';
import { createZxingJsEngine } from '../src/engine/createZxingJsEngine.js';
import { createZxingWasmEngine } from '../src/engine/createZxingWasmEngine.js';
import type { QrEngine, QrFormat } from '../src/engine/QrEngine.js';
import { parseCardQr } from '../src/parse/parseCardQr.js';
import { createMultiFrameReader } from '../src/read/multiFrame.js';
import { type ReadCardQrOptions, readCardQr, readStrategies } from '../src/read/readCardQr.js';
import { warmUpQrReader } from '../src/read/warmUp.js';
import { fuzzPayload } from '../src/testing/fuzzPayload.js';
import { type CardClip, generateCardClips } from '../src/testing/generateCardClip.js';
import { generateCardQrSet } from '../src/testing/generateCardQrSet.js';
import { generateHardQrSet, hardCategories } from '../src/testing/generateHardQrSet.js';
import { generatePdf417Set, pdf417Levels } from '../src/testing/generatePdf417Set.js';
import { randomCardPayload } from '../src/testing/randomCardPayload.js';
import { degradationLevels } from '../src/testing/renderCardImage.js';
import { type EvaluationHalf, evaluationHalf } from '../src/testing/split.js';

/** One image of an evaluation set, with its half and what it must decode to. */
interface Sample {
  set: string;
  name: string;
  half: EvaluationHalf;
  image: RasterImage;
  expected: string;
}

interface Reading {
  text?: string;
  strategy?: string;
}

type Decoder = { name: string; read(img: RasterImage): Promise<Reading> };

/** Per-sample outcome of one decoder. */
interface Outcome {
  ok: boolean;
  strategy?: string;
  cpuMs: number;
}

function realSet(dir: string, set: string): { name: string; file: string; expected: string }[] {
  const out: { name: string; file: string; expected: string }[] = [];
  for (const sub of readdirSync(dir).sort()) {
    for (const f of readdirSync(join(dir, sub)).sort()) {
      const m = /^(.*)\.(png|jpe?g|webp)$/i.exec(f);
      if (!m) continue;
      const txt = join(dir, sub, `${m[1]}.txt`);
      if (!existsSync(txt)) continue;
      out.push({ name: `${set}/${sub}/${f}`, file: join(dir, sub, f), expected: readFileSync(txt, 'utf8') });
    }
  }
  return out;
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

function engineDecoder(name: string, engine: QrEngine, formats: readonly QrFormat[] = ['QRCode']): Decoder {
  return {
    name,
    async read(img) {
      const text = engine.decode(img, { formats })[0]?.text;
      return text === undefined ? {} : { text };
    },
  };
}

/** Run a decoder over samples, timing each call in process CPU milliseconds. */
async function run(decoder: Decoder, samples: readonly Sample[]): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const s of samples) {
    const c0 = process.cpuUsage();
    const r = await decoder.read(s.image);
    const c = process.cpuUsage(c0);
    out.push({
      ok: r.text === s.expected,
      cpuMs: (c.user + c.system) / 1000,
      ...(r.strategy && r.text === s.expected ? { strategy: r.strategy } : {}),
    });
  }
  return out;
}

/** Process CPU time in ms: budgets run on it, so other jobs on this shared machine do not eat them. */
const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits;
const rate = (k: number, n: number): number | string => (n ? round((100 * k) / n) : '-');
const count = (o: readonly Outcome[]) => o.filter((x) => x.ok).length;

/**
 * Play a clip to a simulated scanner: frames arrive every 1000/fps ms; one decode at a time,
 * taking its CPU time; frames that arrive meanwhile wait, and the next decode takes the
 * latest (or the sharpest) of them. Returns the clip time of the first correct read.
 */
async function timeToFirstRead(
  clip: CardClip,
  mode: 'latest frame' | 'sharpest frame' | 'sharpest + fusion',
  engine: QrEngine,
): Promise<number | undefined> {
  const options = { engine, timeBudgetMs: SCANNER_BUDGET_MS, now: cpuNow };
  const multi = createMultiFrameReader({ ...options, fuse: mode === 'sharpest + fusion' });
  let busyUntil = 0;
  let waiting: RasterImage[] = [];
  for (let f = 0; f < clip.frames.length; f++) {
    const t = (1000 * f) / clip.fps;
    waiting.push(clip.frames[f] as RasterImage);
    if (t < busyUntil) continue;
    const frame = mode === 'latest frame' ? (waiting.at(-1) as RasterImage) : (multi.pick(waiting) as RasterImage);
    waiting = [];
    const c0 = cpuNow();
    const r = mode === 'sharpest + fusion' ? await multi.push(frame) : await readCardQr(frame, options);
    busyUntil = t + (cpuNow() - c0);
    if (r.text === clip.text) return busyUntil;
  }
  return undefined;
}

/** The live scanner's per-frame budget (createInlineFrameDecoder / the worker use 60 ms). */
const SCANNER_BUDGET_MS = 60;

export const bench = defineBench({
  name: 'qr-read',
  pkg: 'qr',
  description:
    'QR decode rate on tuning and report halves (seeded hash of the file name) of the real zxing sets, the graded card photos and the hard categories; raw zxing-wasm, @zxing/library and jsQR on the report halves; ablation of the ladder; CPU ms per 1280×960 frame; parser fuzz',
  async run(ctx) {
    const tables: BenchTable[] = [];
    const notes: string[] = [];
    const data: Record<string, unknown> = {};
    // `pnpm bench qr-read hard` (or real, levels, video, fuzz) runs one part.
    const only = ctx.args.find((a) => ['real', 'levels', 'hard', 'pdf417', 'video', 'fuzz'].includes(a));
    const wasm = await createZxingWasmEngine();
    const js = await createZxingJsEngine();
    const jsqr = await jsQrDecoder();
    const budget = 300;
    // As the frame decoders do when created: the reader's code compiled before the first frame.
    const warm0 = cpuNow();
    await warmUpQrReader({ engine: wasm });
    notes.push(`reader warm-up (warmUpQrReader, once before the timed reads): ${round(cpuNow() - warm0)} ms CPU`);
    // CPU ms each rung spent, per half (what orders the ladder: reads per CPU second on the tuning half).
    const rungMs: Record<'tune' | 'report', Record<string, number>> = { tune: {}, report: {} };
    let costHalf: 'tune' | 'report' | undefined;
    const onStep = (strategy: string, ms: number) => {
      if (costHalf) rungMs[costHalf][strategy] = (rungMs[costHalf][strategy] ?? 0) + ms;
    };
    const ours = (accept: 'any' | 'card', extra: ReadCardQrOptions = {}): Decoder => ({
      name: 'readCardQr (this)',
      async read(img) {
        const r = await readCardQr(img, { engine: wasm, accept, timeBudgetMs: budget, now: cpuNow, onStep, ...extra });
        return { ...(r.text !== undefined ? { text: r.text } : {}), ...(r.strategy ? { strategy: r.strategy } : {}) };
      },
    });
    const raw = engineDecoder('zxing-wasm 3.1.6 raw', wasm);
    const peers = [engineDecoder('@zxing/library 0.23', js), jsqr];
    // PDF417 sets: the engines asked for PDF417 only (jsQR reads QR codes only).
    const rawPdf = engineDecoder('zxing-wasm 3.1.6 raw', wasm, ['PDF417']);
    const peersPdf = [engineDecoder('@zxing/library 0.23', js, ['PDF417'])];

    // The sets: real photos (any text), graded card photos and hard categories (card payloads).
    const sets: { set: string; accept: 'any' | 'card'; samples: Sample[]; pdf417?: boolean }[] = [];
    const half = (name: string) => evaluationHalf(name);
    if (!only || only === 'real') {
      for (const set of ['zxing-cpp', 'zxing-blackbox']) {
        const dir = join(sharedDataRoot, 'qr', set);
        if (!existsSync(dir)) {
          notes.push(`../shared/data/qr/${set} is missing: its rows are skipped`);
          continue;
        }
        const samples: Sample[] = [];
        for (const f of realSet(dir, set)) {
          const image = await decodeImage(new Uint8Array(readFileSync(f.file)));
          samples.push({ set, name: f.name, half: half(f.name), image, expected: f.expected });
        }
        sets.push({ set, accept: 'any', samples });
      }
    }
    const perLevel = ctx.quick ? 6 : 16;
    if (!only || only === 'levels') {
      ctx.progress(`generating ${perLevel} card photos per graded level`);
      const generated = await generateCardQrSet({ count: perLevel, seed: 2026 });
      for (const level of degradationLevels.keys()) {
        const samples = generated
          .filter((g) => g.level === level)
          .map((g, i) => {
            const name = `level-${level}/${i}`;
            return { set: `level ${level}`, name, half: half(name), image: g.image, expected: g.text };
          });
        sets.push({ set: `level ${level}`, accept: 'card', samples });
      }
    }
    const perCategory = ctx.quick ? 6 : 16;
    if (!only || only === 'hard') {
      // `pnpm bench qr-read hard small` (category names after `hard`) runs those categories only.
      const named = hardCategories.filter((c) => ctx.args.includes(c));
      const categories = named.length > 0 ? named : hardCategories;
      ctx.progress(`generating ${perCategory} hard photos per category (${categories.join(', ')})`);
      const hard = await generateHardQrSet({ count: perCategory, seed: 16, categories });
      for (const category of categories) {
        const samples = hard
          .filter((g) => g.category === category)
          .map((g) => ({ set: category, name: g.name, half: half(g.name), image: g.image, expected: g.text }));
        sets.push({ set: category, accept: 'card', samples });
      }
    }

    if (!only || only === 'pdf417') {
      ctx.progress(`generating ${perCategory} 2016 CCCD backs (PDF417) per level`);
      const backs = await generatePdf417Set({ count: perCategory, seed: 16 });
      for (const level of pdf417Levels) {
        const samples = backs
          .filter((g) => g.level === level)
          .map((g) => ({ set: `pdf417 ${level}`, name: g.name, half: half(g.name), image: g.image, expected: g.text }));
        sets.push({ set: `pdf417 ${level}`, accept: 'any', samples, pdf417: true });
      }
    }

    // Decode: this reader and raw zxing-wasm on both halves, the peers on the report half.
    const halfRows: Record<string, string | number>[] = [];
    const peerRows: Record<string, string | number>[] = [];
    const cpu: number[] = [];
    // Per report frame: name, CPU ms and the rung that read it (in the JSON, to see what sets the percentiles).
    const cpuFrames: { name: string; ms: number; strategy?: string }[] = [];
    const foundBy: Record<string, Record<string, number>> = {};
    type Read = { sample: Sample; accept: 'any' | 'card'; strategy?: string; pdf417?: boolean };
    const reportSamples: Read[] = [];
    const tuneSamples: Read[] = [];
    const firstByHalf: Record<'tune' | 'report', Record<string, number>> = { tune: {}, report: {} };
    const load0 = loadavg();
    const pdfOptions: ReadCardQrOptions = { formats: ['PDF417'] };
    for (const { set, accept, samples, pdf417 } of sets) {
      ctx.progress(`${set}: ${samples.length} images`);
      const mine: Outcome[] = [];
      for (const sample of samples) {
        costHalf = sample.half;
        mine.push(...(await run(ours(accept, pdf417 ? pdfOptions : {}), [sample])));
      }
      costHalf = undefined;
      const base = await run(pdf417 ? rawPdf : raw, samples);
      for (const h of ['tune', 'report'] as const) {
        const idx = samples.map((s, i) => (s.half === h ? i : -1)).filter((i) => i >= 0);
        const m = idx.map((i) => mine[i] as Outcome);
        const b = idx.map((i) => base[i] as Outcome);
        const missed = idx.filter((i) => !base[i]?.ok);
        const recovered = missed.filter((i) => mine[i]?.ok).length;
        halfRows.push({
          set,
          half: h,
          images: idx.length,
          'zxing-wasm raw %': rate(count(b), idx.length),
          'this %': rate(count(m), idx.length),
          'raw misses': missed.length,
          recovered,
          'recovered %': rate(recovered, missed.length),
        });
      }
      samples.forEach((sample, i) => {
        const o = mine[i] as Outcome;
        if (o.strategy) {
          firstByHalf[sample.half][o.strategy] = (firstByHalf[sample.half][o.strategy] ?? 0) + 1;
          if (sample.half === 'tune')
            tuneSamples.push({ sample, accept, strategy: o.strategy, ...(pdf417 ? { pdf417 } : {}) });
        }
      });
      const rep = samples.map((s, i) => (s.half === 'report' ? i : -1)).filter((i) => i >= 0);
      for (const i of rep) {
        const o = mine[i] as Outcome;
        reportSamples.push({
          sample: samples[i] as Sample,
          accept,
          ...(o.strategy ? { strategy: o.strategy } : {}),
          ...(pdf417 ? { pdf417 } : {}),
        });
        if (o.strategy) {
          foundBy[set] ??= {};
          (foundBy[set] as Record<string, number>)[o.strategy] =
            ((foundBy[set] as Record<string, number>)[o.strategy] ?? 0) + 1;
        }
        if (samples[i]?.image.width === 1280 && samples[i]?.image.height === 960) {
          cpu.push(o.cpuMs);
          cpuFrames.push({
            name: (samples[i] as Sample).name,
            ms: round(o.cpuMs),
            ...(o.strategy ? { strategy: o.strategy } : {}),
          });
        }
      }
      const repSamples = rep.map((i) => samples[i] as Sample);
      const row: Record<string, string | number> = {
        set,
        'report images': rep.length,
        'this %': rate(rep.filter((i) => mine[i]?.ok).length, rep.length),
        'zxing-wasm raw %': rate(rep.filter((i) => base[i]?.ok).length, rep.length),
      };
      for (const p of pdf417 ? peersPdf : peers) row[`${p.name} %`] = rate(count(await run(p, repSamples)), rep.length);
      if (pdf417) row['jsQR 1.4 %'] = '-';
      peerRows.push(row);
    }
    tables.push({
      title:
        'Tuning and report halves (seeded FNV-1a hash of the file name): raw zxing-wasm, this reader, and the share of raw misses this reader recovers',
      rows: halfRows,
    });
    tables.push({ title: 'Report halves: this reader and peers (same images)', rows: peerRows });
    data.foundBy = foundBy;
    data.firstByHalf = firstByHalf;
    data.rungCpuMs = rungMs;
    tables.push({
      title:
        'Ladder rungs: codes each read first and CPU seconds each spent (all images of the run, by half); reads per CPU second on the tuning half order the ladder',
      rows: readStrategies.map((rung) => {
        const tuneS = (rungMs.tune[rung] ?? 0) / 1000;
        const tuneReads = firstByHalf.tune[rung] ?? 0;
        return {
          rung,
          'tune: read first': tuneReads,
          'tune: CPU s': round(tuneS, 2),
          'tune: reads per CPU s': tuneS > 0 ? round(tuneReads / tuneS, 2) : '-',
          'report: read first': firstByHalf.report[rung] ?? 0,
          'report: CPU s': round((rungMs.report[rung] ?? 0) / 1000, 2),
        };
      }),
    });

    // Ablation on the report halves: each rung dropped in turn; only images that rung read
    // can change (the rungs before it are unaffected, misses would only gain budget).
    const ablation: Record<string, string | number>[] = [];
    const hits = reportSamples.filter((r) => r.strategy).length;
    const tuneImages = sets.reduce((n, x) => n + x.samples.filter((v) => v.half === 'tune').length, 0);
    const lostWithout = async (found: typeof reportSamples, rung: string): Promise<number> => {
      let kept = 0;
      for (const r of found) {
        const ladder = readStrategies.filter((s) => s !== rung);
        const [o] = await run(ours(r.accept, { ladder, ...(r.pdf417 ? pdfOptions : {}) }), [r.sample]);
        if (o?.ok) kept++;
      }
      return found.length - kept;
    };
    for (const rung of readStrategies) {
      const found = reportSamples.filter((r) => r.strategy === rung);
      const lost = await lostWithout(found, rung);
      const tuneFound = tuneSamples.filter((r) => r.strategy === rung);
      ablation.push({
        rung,
        'read first by it': found.length,
        'still read without it': found.length - lost,
        'lost without it': lost,
        'report-half rate without it %': rate(hits - lost, reportSamples.length),
        'tune: read first': tuneFound.length,
        'tune: lost without it': await lostWithout(tuneFound, rung),
      });
    }
    tables.push({
      title: `Ablation on the report halves (${reportSamples.length} images, ${hits} read with the full ladder; tuning half ${tuneImages} images beside it)`,
      rows: ablation,
    });

    if (cpu.length) {
      data.reportFrameCpu = cpuFrames;
      tables.push({
        title: 'CPU ms per 1280×960 frame, this reader (report halves of the generated sets, one thread)',
        rows: [
          {
            frames: cpu.length,
            'median ms': round(percentile(cpu, 50), 1),
            'p90 ms': round(percentile(cpu, 90), 1),
            'p99 ms': round(percentile(cpu, 99), 1),
            'budget ms': budget,
          },
        ],
      });
    }

    // Video: time to first read on clips of a card moved into view / held by a shaking hand.
    if (!only || only === 'video') {
      const clips = await generateCardClips({ count: ctx.quick ? 1 : 2, frames: ctx.quick ? 10 : 18, seed: 16 });
      const videoRows: Record<string, string | number>[] = [];
      for (const mode of ['latest frame', 'sharpest frame', 'sharpest + fusion'] as const) {
        for (const motion of ['slide-in', 'shaky'] as const) {
          const firsts: number[] = [];
          let read = 0;
          let total = 0;
          for (const clip of clips.filter((c) => c.motion === motion)) {
            total++;
            const t = await timeToFirstRead(clip, mode, wasm);
            if (t !== undefined) {
              read++;
              firsts.push(t);
            }
          }
          videoRows.push({
            motion,
            decoding: mode,
            clips: total,
            'read within the clip': read,
            'median ms to first read': firsts.length ? round(percentile(firsts, 50), 0) : '-',
            'max ms to first read': firsts.length ? round(Math.max(...firsts), 0) : '-',
          });
        }
      }
      tables.push({
        title:
          'Video clips (30 fps, 1280×960): time from the first frame to the first correct read; one decoder on one core, frames arriving while it works are dropped or (best-frame) the sharpest is taken',
        rows: videoRows,
      });
    }

    // Parser fuzz.
    if (!only || only === 'fuzz') {
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
    }
    const load1 = loadavg();
    data.loadAverage = { start: load0, end: load1 };
    notes.push(
      `load average (1, 5, 15 min) at the start ${load0.map((v) => v.toFixed(1)).join(' ')}, at the end ${load1.map((v) => v.toFixed(1)).join(' ')} (2 cores)`,
    );
    notes.push(`ladder strategies, in order: ${readStrategies.join(', ')}; time budget ${budget} ms per image`);
    notes.push('CPU ms is process.cpuUsage around each call (one thread); wall time on this shared machine is noisier');
    wasm.close();
    js.close();
    return { tables, data, notes };
  },
});
