import { loadavg } from 'node:os';
import { type BenchTable, defineBench } from '@smart-citizen/bench';
import { sharedDataRoot } from '@smart-citizen/test-kit';
import { extractTemplate } from '../src/extractTemplate.js';
import { MatchWorkspace, similarity } from '../src/match/compare.js';
import { cylindersOf } from '../src/match/mcc.js';
import { type PreparedTemplate, prepareTemplate } from '../src/match/prepare.js';
import { FVC_SETS, loadFvcSet } from './fvc.js';

const cpuMs = (start: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
};

/**
 * 1:1 match speed alone: the 12,640 same-set pairs of the four FVC B-sets, several passes, each
 * pass timed in process CPU. Extraction and cylinder building happen first and are not timed, so
 * the timed part is short (about a second a pass) and can be run in a quiet window of a shared
 * machine; the progress line "timing N passes" marks where the timed part starts.
 */
export const bench = defineBench({
  name: 'fingerprint-speed',
  pkg: 'fingerprint',
  description:
    '1:1 MCC matches per second of CPU on one thread over all same-set pairs of the four FVC B-sets (prepared templates with their cylinders), several passes: best, median and worst pass. Args: passes=7',
  async run(ctx) {
    const arg = (name: string) => ctx.args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
    const passes = Math.max(1, Number(arg('passes') ?? (ctx.quick ? 3 : 7)));
    const sets: PreparedTemplate[][] = [];
    for (const def of FVC_SETS) {
      const items = await loadFvcSet(sharedDataRoot, def);
      if (!items) return { tables: [], notes: [`../shared/data/fingerprint/${def.dir} is missing: skipped`] };
      ctx.progress(`${def.name}: extracting ${items.length} images (not timed)`);
      const prepared = items.map((it) => prepareTemplate(extractTemplate(it.image, { dpi: def.dpi })));
      for (const p of prepared) cylindersOf(p);
      sets.push(prepared);
    }
    const ws = new MatchWorkspace();
    // One untimed pass warms the kernel and the workspace; its scores are the reference that
    // every timed pass must reproduce.
    const reference: number[] = [];
    for (const prepared of sets) {
      for (let a = 0; a < prepared.length; a++) {
        for (let b = a + 1; b < prepared.length; b++) {
          reference.push(similarity(prepared[a] as PreparedTemplate, prepared[b] as PreparedTemplate, ws));
        }
      }
    }
    const load0 = loadavg()[0] as number;
    ctx.progress(`timing ${passes} passes of ${reference.length} matches`);
    const rates: number[] = [];
    for (let pass = 0; pass < passes; pass++) {
      let k = 0;
      let mismatches = 0;
      const t0 = process.cpuUsage();
      for (const prepared of sets) {
        for (let a = 0; a < prepared.length; a++) {
          for (let b = a + 1; b < prepared.length; b++) {
            if (similarity(prepared[a] as PreparedTemplate, prepared[b] as PreparedTemplate, ws) !== reference[k++])
              mismatches++;
          }
        }
      }
      const ms = cpuMs(t0);
      if (mismatches) throw new Error(`pass ${pass}: ${mismatches} scores differ from the first pass`);
      rates.push(Math.round((reference.length / ms) * 1000));
    }
    const load1 = loadavg()[0] as number;
    ctx.progress('timing done');
    const sorted = [...rates].sort((x, y) => x - y);
    const table: BenchTable = {
      title: '1:1 MCC matches / s (process CPU, one thread, prepared templates with cylinders)',
      rows: [
        {
          pairs: reference.length,
          passes,
          'best pass': sorted[sorted.length - 1] as number,
          'median pass': sorted[Math.floor(sorted.length / 2)] as number,
          'worst pass': sorted[0] as number,
          'load (1 min) before / after': `${load0.toFixed(1)} / ${load1.toFixed(1)}`,
        },
      ],
    };
    return {
      tables: [table],
      data: { rates, loadAverage: [load0, load1] },
      notes: [
        'Target (issue #15): 20,000 matches/s. The load average is of the whole machine (2 cores); a quiet window (other jobs paused) is what the target is measured in.',
      ],
    };
  },
});
