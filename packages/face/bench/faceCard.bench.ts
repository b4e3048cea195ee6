import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchTable } from '@smart-citizen/bench';
import { cosineSimilarity } from '@smart-citizen/core';
import { IdCardReader } from '@smart-citizen/idcard';
import {
  FACE_BENCH_CARD_TYPES,
  type FaceBox,
  faceBenchCard,
  loadGeneratorData,
  photographedCardPortrait,
  photographedPortraitCard,
} from '@smart-citizen/idcard/testing';
import { decodeImage, type RasterImage, resize, toGrey } from '@smart-citizen/image';
import { evaluationHalf } from '@smart-citizen/qr/testing';
import { sharedDataRoot } from '@smart-citizen/test-kit';
import { allPairs, crossValidateByIdentity, evaluateScores, type LabelledScore } from '../src/evaluate.js';
import { FaceVerifier } from '../src/FaceVerifier.js';
import { defineDeepfaceBench } from '../test/deepface.js';
import { builtinProfiles, type FaceModelProfile, type YunetDetectorSpec } from '../src/profiles.js';

/**
 * `pnpm bench face-card`: the product's central comparison — a live photo against the portrait
 * cut from a photographed ID card — on deepface photos placed as the portrait of generated
 * cards (`@smart-citizen/idcard/testing`), photographed at the generator's degradation levels
 * and cut back out with the card's true corners. Every photo and card is assigned to the tuning
 * or the report half by a seeded hash of the photo's file name; pairs stay within a half.
 * Thresholds are chosen on the tuning half and applied to the report half.
 */

const pct = (v: number) => Math.round(v * 10000) / 100;
const r3 = (v: number) => Math.round(v * 1000) / 1000;

/** Separation of the genuine and impostor score distributions (difference of means over pooled sd). */
function dPrime(g: readonly number[], im: readonly number[]): number {
  const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const variance = (v: readonly number[], m: number) => v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
  const mg = mean(g);
  const mi = mean(im);
  return (mg - mi) / Math.sqrt((variance(g, mg) + variance(im, mi)) / 2);
}

/** Share of genuine pairs at or below the highest impostor score (FRR when no impostor may pass). */
function frrAtFar0(g: readonly number[], im: readonly number[]): number {
  const top = Math.max(...im);
  return g.filter((s) => s <= top).length / g.length;
}

interface Variant {
  name: string;
  profile: FaceModelProfile;
}

export const bench = defineDeepfaceBench({
  name: 'face-card',
  description:
    'live photo vs portrait cut from a photographed generated card (deepface portraits, idcard generator levels): EER per profile on tuning / report halves, detection and quality pass rates',
  async run(ctx, { dir, modelsDir, photos: listed }) {
    const levels = ctx.quick ? [2] : [1, 2, 3, 4];
    // `only=default` (or another name fragment) measures just the matching pipelines.
    const only = ctx.args.find((a) => a.startsWith('only='))?.slice(5);
    // `cut=reader`: the portrait IdCardReader cuts from the photographed card (its own outline,
    // rectification and type), not the box at the card's true corners; a card it cannot read
    // gives no portrait, which counts against every genuine pair of that photo.
    const cutArg = ctx.args.find((a) => a.startsWith('cut='))?.slice(4) ?? 'true-corners';
    if (cutArg !== 'true-corners' && cutArg !== 'reader') throw new Error(`cut=${cutArg}: true-corners or reader`);
    const reader = cutArg === 'reader' ? await IdCardReader.create() : undefined;
    /** Per level: photos whose card the reader did not read, read as another type, or cut no portrait of. */
    const readerMisses = new Map<number, { unread: number; wrongType: number }>();
    const singles = listed.filter((p) => !p.file.includes('couple'));
    const files = singles.map((p) => p.file);
    const labels = singles.map((p) => p.label);
    const halves = files.map((f) => evaluationHalf(`face/deepface/${f}`));
    ctx.progress(`decoding ${files.length} photos`);
    const photos: RasterImage[] = [];
    for (const f of files)
      photos.push(await decodeImage(new Uint8Array(readFileSync(join(dir, f))), { maxDimension: 1920 }));

    // Face boxes for the cards' head-and-shoulders portraits: the face YuNet finds.
    const finder = await FaceVerifier.create({
      profile: builtinProfiles.default,
      models: { dir: modelsDir },
      liveness: false,
    });
    // detect orders faces by the pick rule, so the first is the one embed would use.
    const faceBoxes: (FaceBox | undefined)[] = [];
    for (const im of photos) faceBoxes.push((await finder.detect(im)).faces[0]?.box);
    await finder.close();

    // Generated, photographed cards (cached: the generator draws in plain JS and is slow).
    const data = await loadGeneratorData(sharedDataRoot);
    const cards = new Map<number, (RasterImage | undefined)[]>();
    for (const level of levels) {
      const cut: (RasterImage | undefined)[] = [];
      for (let i = 0; i < photos.length; i++) {
        const faceBox = faceBoxes[i];
        if (!faceBox) {
          cut.push(undefined);
          continue;
        }
        ctx.progress(`level ${level}: card ${i + 1}/${photos.length}`);
        const shot = faceBenchCard({
          photo: photos[i] as RasterImage,
          faceBox,
          index: i,
          file: files[i] as string,
          level,
          data,
          cacheRoot: process.cwd(),
        });
        if (!reader) {
          cut.push(await photographedCardPortrait(shot));
          continue;
        }
        const r = await reader.readSide((await photographedPortraitCard(shot)).shot.jpeg);
        const misses = readerMisses.get(level) ?? { unread: 0, wrongType: 0 };
        readerMisses.set(level, misses);
        if (r.status !== 'read' || !r.portrait) misses.unread++;
        else if (r.documentType !== shot.type) misses.wrongType++;
        cut.push(r.status === 'read' ? r.portrait?.image : undefined);
      }
      cards.set(level, cut);
    }

    await reader?.close();

    const yunet = builtinProfiles.default;
    const yunetDetector = yunet.detector as YunetDetectorSpec;
    const variants: Variant[] = [
      { name: 'faceplugin (UltraFace + 68 pts + fr_feature)', profile: builtinProfiles.faceplugin },
      { name: 'YuNet 640 + fr_feature', profile: yunet },
      {
        name: 'YuNet 320 + fr_feature',
        profile: { ...yunet, id: 'yunet-320', detector: { ...yunetDetector, inputSize: 320 } },
      },
      {
        name: 'YuNet 640 + fr_feature flip',
        profile: { ...yunet, id: 'yunet-flip', embedder: { ...yunet.embedder, flipAugment: true } },
      },
    ];

    const { genuine, impostor } = allPairs(labels);
    /** Default profile's live-vs-card scores per level, every ordered pair of two photos, for the calibration. */
    const calibration = new Map<number, { scores: LabelledScore[]; tune: boolean[]; report: boolean[] }>();
    const rows: BenchTable['rows'] = [];
    const detRows: BenchTable['rows'] = [];
    for (const v of variants.filter((x) => !only || x.profile.id.includes(only) || x.name.includes(only))) {
      ctx.progress(`embedding with ${v.name}`);
      const fv = await FaceVerifier.create({ profile: v.profile, models: { dir: modelsDir }, liveness: false });
      const emb: (Float32Array | undefined)[] = [];
      const passed: boolean[] = [];
      for (const im of photos) {
        const r = await fv.embed(im);
        emb.push(r.status === 'ok' ? r.embedding : undefined);
        passed.push(r.status === 'ok' && r.quality.passed);
      }
      const greyFound = (
        await Promise.all(
          photos.map(async (im) => {
            const s = 160 / Math.max(im.width, im.height);
            const small = toGrey(resize(im, { width: Math.round(im.width * s), height: Math.round(im.height * s) }));
            return (await fv.embed(small)).status === 'ok';
          }),
        )
      ).filter(Boolean).length;
      const score = (a?: Float32Array, b?: Float32Array) => (a && b ? cosineSimilarity(a, b) : -1);
      const keep = (v: number) => (Number.isNaN(v) ? [] : [v]);
      const tuneHalf = (i: number, j: number) => halves[i] === 'tune' && halves[j] === 'tune';
      const reportHalf = (i: number, j: number) => halves[i] === 'report' && halves[j] === 'report';
      const evalPairs = (sel: (i: number, j: number) => boolean, sc: (i: number, j: number) => number) => {
        // NaN: a pair left out (a card the reader cut no portrait of, in the acquired-only rows)
        const g = genuine.filter(([i, j]) => sel(i, j)).flatMap(([i, j]) => keep(sc(i, j)));
        const im = impostor.filter(([i, j]) => sel(i, j)).flatMap(([i, j]) => keep(sc(i, j)));
        return { g, im };
      };
      const photoScore = (i: number, j: number) => score(emb[i], emb[j]);
      const rowFor = (reference: string, sc: (i: number, j: number) => number, ordered: boolean) => {
        const both = (sel: (i: number, j: number) => boolean) => {
          const a = evalPairs(sel, sc);
          if (!ordered) return a;
          const b = evalPairs(sel, (i, j) => sc(j, i));
          return { g: [...a.g, ...b.g], im: [...a.im, ...b.im] };
        };
        const t = both(tuneHalf);
        const r = both(reportHalf);
        const et = evaluateScores(t.g, t.im);
        const er = evaluateScores(r.g, r.im);
        const thr = et.eerThreshold;
        const frr = r.g.filter((s) => s < thr).length / r.g.length;
        const far = r.im.filter((s) => s >= thr).length / r.im.length;
        rows.push({
          pipeline: v.name,
          reference,
          'tune EER %': pct(et.eer),
          'tune thr@EER': r3(thr),
          'report genuine': r.g.length,
          'report impostor': r.im.length,
          'report EER %': pct(er.eer),
          'report TAR@FAR1e-2 %': pct(er.tarAtFar[0]?.tar ?? 0),
          'report FAR / FRR at tune thr %': `${pct(far)} / ${pct(frr)}`,
          "report d'": r3(dPrime(r.g, r.im)),
          'report FRR@FAR0 %': pct(frrAtFar0(r.g, r.im)),
        });
      };
      rowFor('photo', photoScore, false);
      for (const level of levels) {
        const cut = cards.get(level) ?? [];
        const cEmb: (Float32Array | undefined)[] = [];
        const cPassed: boolean[] = [];
        for (const im of cut) {
          if (!im) {
            cEmb.push(undefined);
            cPassed.push(false);
            continue;
          }
          const r = await fv.embed(im, { referenceType: 'id-card-portrait' });
          cEmb.push(r.status === 'ok' ? r.embedding : undefined);
          cPassed.push(r.status === 'ok' && r.quality.passed);
        }
        // Probe = live photo i, reference = card of another photo j (both orders of each pair).
        rowFor(`card level ${level}`, (i, j) => score(emb[i], cEmb[j]), true);
        // The same without the cards the reader cut no portrait of (failure to acquire, in the notes).
        if (reader)
          rowFor(
            `card level ${level}, cut portraits only`,
            (i, j) => (cut[j] ? score(emb[i], cEmb[j]) : Number.NaN),
            true,
          );
        if (v.profile === yunet) {
          const cal = { scores: [] as LabelledScore[], tune: [] as boolean[], report: [] as boolean[] };
          for (let i = 0; i < photos.length; i++)
            for (let j = 0; j < photos.length; j++) {
              if (i === j) continue;
              cal.scores.push({ labels: [labels[i] as string, labels[j] as string], score: score(emb[i], cEmb[j]) });
              cal.tune.push(tuneHalf(i, j));
              cal.report.push(reportHalf(i, j));
            }
          calibration.set(level, cal);
        }
        detRows.push({
          pipeline: v.name,
          images: `card portraits, level ${level}`,
          n: cut.filter(Boolean).length,
          'face found %': pct(cEmb.filter(Boolean).length / Math.max(1, cut.filter(Boolean).length)),
          'quality passed %': pct(cPassed.filter(Boolean).length / Math.max(1, cut.filter(Boolean).length)),
        });
      }
      detRows.push({
        pipeline: v.name,
        images: 'deepface photos',
        n: photos.length,
        'face found %': pct(emb.filter(Boolean).length / photos.length),
        'quality passed %': pct(passed.filter(Boolean).length / photos.length),
      });
      detRows.push({
        pipeline: v.name,
        images: 'photos as 160 px grey',
        n: photos.length,
        'face found %': pct(greyFound / photos.length),
        'quality passed %': '-',
      });
      await fv.close();
    }
    const calRows = calibrationRows(calibration, yunet.thresholds['id-card-portrait']);
    return {
      tables: [
        ...(calRows.length
          ? [
              {
                title:
                  'Calibrating id-card-portrait (default profile) on portraits cut from photographed cards: thresholds from levels 1–3 pooled; FAR / FRR per level on the report half, and held out by identity',
                rows: calRows,
              },
            ]
          : []),
        {
          title: `Live photo vs card portrait (photographed generated card, ${reader ? 'cut by IdCardReader (its own outline and type)' : 'cut with its true corners'}) and photo vs photo; threshold from the tuning half applied to the report half`,
          rows,
        },
        { title: 'Detection and quality pass rate per pipeline', rows: detRows },
      ],
      notes: [
        `${files.length} deepface photos (couple.jpg left out), ${halves.filter((h) => h === 'report').length} in the report half; card types cycle ${FACE_BENCH_CARD_TYPES.join(', ')}`,
        ...[...readerMisses].map(
          ([level, m]) =>
            `level ${level}: IdCardReader cut no portrait of ${m.unread} of ${photos.length} cards (counted as rejections); ${m.wrongType} read as another card type (portrait still cut)`,
        ),
      ],
    };
  },
});

/**
 * Threshold rules for `id-card-portrait` from the cut card portraits of levels 1–3 (moderate
 * degradation) pooled, each applied per level to the report half; plus leave-one-identity-out
 * cross-validation over both halves (the honest estimate with 13 identities).
 */
function calibrationRows(
  calibration: ReadonlyMap<number, { scores: LabelledScore[]; tune: boolean[]; report: boolean[] }>,
  shipped: number,
): BenchTable['rows'] {
  const moderate = [1, 2, 3].filter((l) => calibration.has(l));
  if (!moderate.length) return [];
  const pick = (level: number, half: 'tune' | 'report') => {
    const c = calibration.get(level);
    return c ? c.scores.filter((_, k) => c[half][k]) : [];
  };
  const split = (scores: readonly LabelledScore[]) => ({
    g: scores.filter((x) => x.labels[0] === x.labels[1]).map((x) => x.score),
    im: scores.filter((x) => x.labels[0] !== x.labels[1]).map((x) => x.score),
  });
  const tune = split(moderate.flatMap((l) => pick(l, 'tune')));
  const e = evaluateScores(tune.g, tune.im, [1e-2, 1e-3]);
  const rules: { rule: string; threshold: number }[] = [
    { rule: 'shipped', threshold: shipped },
    { rule: 'tune half, FAR 1e-3', threshold: e.tarAtFar[1]?.threshold ?? Number.POSITIVE_INFINITY },
    { rule: 'tune half, FAR 1e-2', threshold: e.tarAtFar[0]?.threshold ?? Number.POSITIVE_INFINITY },
    { rule: 'tune half, EER', threshold: e.eerThreshold },
  ];
  const rows: BenchTable['rows'] = [];
  for (const { rule, threshold } of rules) {
    const row: BenchTable['rows'][number] = { rule, threshold: r3(threshold) };
    for (const level of [...calibration.keys()].sort()) {
      const r = split(pick(level, 'report'));
      const far = r.im.filter((x) => x >= threshold).length;
      const frr = r.g.filter((x) => x < threshold).length;
      row[`L${level} report FAR / FRR %`] =
        `${pct(far / Math.max(1, r.im.length))} (${far}/${r.im.length}) / ${pct(frr / Math.max(1, r.g.length))} (${frr}/${r.g.length})`;
    }
    rows.push({ ...row, 'held-out FAR %': '–', 'held-out FRR %': '–' });
  }
  const all = moderate.flatMap((l) => calibration.get(l)?.scores ?? []);
  const cv = crossValidateByIdentity(all, 1e-3);
  for (const c of [cv.far, cv.eer]) {
    const levelCells = Object.fromEntries([...calibration.keys()].map((l) => [`L${l} report FAR / FRR %`, '–']));
    rows.push({
      rule: `held out by identity (${c.folds} folds), levels ${moderate.join('–')}, ${c.rule === 'far' ? 'FAR 1e-3' : 'EER'}`,
      threshold: `${r3(c.thresholdRange[0])}–${r3(c.thresholdRange[1])}`,
      ...levelCells,
      'held-out FAR %': `${pct(c.far)} (${c.falseAccepts}/${c.impostorTrials})`,
      'held-out FRR %': `${pct(c.frr)} (${c.falseRejects}/${c.genuineTrials})`,
    });
  }
  return rows;
}
