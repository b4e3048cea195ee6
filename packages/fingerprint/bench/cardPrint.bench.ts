/**
 * `pnpm bench fingerprint-card [levels=0,1,2]`: the ink prints on generated ID-card backs against
 * live scans of the same fingers. Each finger's first and second FVC impressions are printed at
 * life size in a print box of a generated card back (idcard's generator: CMND 9/12, CCCD 2016/2021 in turn, two
 * fingers per card), the card is photographed at the generator's degradation level, the box is cut
 * back out at 12 px/mm with the card's true corners (as the reader's crop, without its finder's
 * error) and `extractCardPrint` makes the template. Genuine pairs: the card print against the
 * same finger's seven other live impressions; impostor pairs: against every impression of the
 * set's other fingers. Fingers are split into tune and report halves by `fingerHalf`.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { type BenchTable, cpuMs, defineBench } from '@smart-citizen/bench';
import type { CardType } from '@smart-citizen/idcard';
import { loadGeneratorData, photographedCardPrints } from '@smart-citizen/idcard/testing';
import type { RasterImage } from '@smart-citizen/image';
import { sharedDataRoot } from '@smart-citizen/test-kit';
import { extractCardPrint } from '../src/cardPrint.js';
import { evaluateFvc } from '../src/evaluate.js';
import { extractTemplate } from '../src/extractTemplate.js';
import { matchTemplates } from '../src/matchTemplates.js';
import type { FingerprintTemplate } from '../src/types.js';
import { FVC_SETS, fingerHalf, type Impression, loadFvcSet } from './fvc.js';

const BACKS: readonly CardType[] = ['cmnd-9', 'cmnd-12', 'cccd-2016', 'cccd-2021'];
const PRINTED_IMPRESSIONS = 2;
const pct = (v: number) => Math.round(v * 1000) / 10;
const empty = (img: RasterImage): FingerprintTemplate => ({
  width: img.width,
  height: img.height,
  dpi: 500,
  minutiae: [],
});

interface Scores {
  g: number[];
  i: number[];
}
const eer = (s: Scores) => (s.g.length && s.i.length ? pct(evaluateFvc(s.g, s.i).eer) : null);

export const bench = defineBench({
  name: 'fingerprint-card',
  pkg: 'fingerprint',
  description:
    'Card prints on generated ID-card backs (life-size FVC impressions 1–2, photographed at the idcard generator’s levels, cut at 12 px/mm) against live scans: EER per level, tune/report halves',
  async run(ctx) {
    const levelArg = ctx.args.find((a) => a.startsWith('levels='));
    const levels = levelArg ? levelArg.slice(7).split(',').map(Number) : [0, 1, 2];
    const cutArg = ctx.args.find((a) => a.startsWith('cut='));
    const cutPxPerMm = cutArg ? Number(cutArg.slice(4)) : 12;
    const load0 = loadavg()[0] as number;
    const data = await loadGeneratorData(sharedDataRoot);
    const cache = join(process.cwd(), 'node_modules/.cache/smart-citizen/fingerprint-card');
    const defs = FVC_SETS;
    const sets: { def: (typeof FVC_SETS)[number]; items: Impression[]; live: FingerprintTemplate[] }[] = [];
    for (const def of defs) {
      const items = await loadFvcSet(sharedDataRoot, def);
      if (!items) return { tables: [], notes: [`../shared/data/fingerprint/${def.dir} is missing: skipped`] };
      ctx.progress(`${def.name}: extracting ${items.length} live images`);
      sets.push({
        def,
        items,
        live: items.map((it) => {
          try {
            return extractTemplate(it.image, { dpi: def.dpi });
          } catch {
            return empty(it.image);
          }
        }),
      });
    }
    const rows: BenchTable['rows'] = [];
    const perCard: Record<string, unknown>[] = [];
    for (const level of levels) {
      const all: Scores = { g: [], i: [] };
      const half: Record<'tune' | 'report', Scores> = { tune: { g: [], i: [] }, report: { g: [], i: [] } };
      const minutiae: number[] = [];
      const extractMs: number[] = [];
      let failed = 0;
      let card = 0;
      for (const { def, items, live } of sets) {
        // Impressions 1 and 2 of every finger are printed, two fingers per card.
        const printed = items.flatMap((it, k) => (it.impression <= PRINTED_IMPRESSIONS ? [k] : []));
        for (let c = 0; c + 1 < printed.length; c += 2) {
          const pair = [printed[c] as number, printed[c + 1] as number] as const;
          const type = BACKS[card % BACKS.length] as CardType;
          card++;
          ctx.progress(`level ${level}: card ${card} (${def.name}, ${type})`);
          const cut = await photographedCardPrints({
            leftIndex: { image: (items[pair[0]] as Impression).image, dpi: def.dpi },
            rightIndex: { image: (items[pair[1]] as Impression).image, dpi: def.dpi },
            type,
            level,
            seed: 27_000 + level * 1009 + card * 31,
            data,
            cacheFile: join(cache, `${level}-${def.dir.replace(/\W/g, '_')}-${c}-${type}.json`),
            pxPerMm: cutPxPerMm,
          });
          for (const [k, image] of [
            [pair[0], cut.leftIndex],
            [pair[1], cut.rightIndex],
          ] as const) {
            const { finger, impression } = items[k] as Impression;
            const t0 = process.cpuUsage();
            let t: FingerprintTemplate;
            try {
              t = extractCardPrint(image, { pxPerMm: cutPxPerMm });
            } catch {
              failed++;
              t = empty(image);
            }
            extractMs.push(cpuMs(t0));
            minutiae.push(t.minutiae.length);
            const h = fingerHalf(def, finger);
            const scores: Scores = { g: [], i: [] };
            for (const [b, other] of items.entries()) {
              if (other.finger === finger && other.impression === impression) continue;
              const side = other.finger === finger ? 'g' : 'i';
              const s = matchTemplates(live[b] as FingerprintTemplate, t).score;
              scores[side].push(s);
              all[side].push(s);
              if (fingerHalf(def, other.finger) === h) half[h][side].push(s);
            }
            perCard.push({
              level,
              set: def.name,
              type,
              impression,
              half: h,
              minutiae: t.minutiae.length,
              genuine: scores.g,
            });
          }
        }
      }
      const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? null;
      rows.push({
        level,
        'card prints': minutiae.length,
        'no template': failed,
        'genuine pairs': all.g.length,
        'impostor pairs': all.i.length,
        'EER %': eer(all),
        'tune EER %': eer(half.tune),
        'report EER %': eer(half.report),
        'median minutiae': med(minutiae),
        'extract ms CPU (median)': Math.round((med(extractMs) ?? 0) * 10) / 10,
        'target EER %': 10,
      });
    }
    return {
      tables: [
        {
          title:
            'Card print on a generated ID-card back, photographed, cut at 12 px/mm → extractCardPrint, against live scans (FVC2002 DB1–3 + FVC2004 DB1)',
          rows,
        },
      ],
      notes: [`load average ${load0.toFixed(1)} → ${(loadavg()[0] as number).toFixed(1)}`],
      data: { perCard },
    };
  },
});
