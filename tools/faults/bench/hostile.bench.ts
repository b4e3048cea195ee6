import { defineBench } from '@smart-citizen/bench';
import { sharedData } from '@smart-citizen/test-kit';
import { fuzzHostileFiles } from '../src/hostile.js';

/** `pnpm bench hostile-files [--quick]`: a million mutated images through the image entry points. */
export const bench = defineBench({
  name: 'hostile-files',
  pkg: 'faults',
  description: 'mutation fuzzing of decodeImage, readCardQr and FaceVerifier.embed with hostile JPEG/PNG/WebP files',
  async run({ quick, progress }) {
    const data = sharedData('');
    if (!data) throw new Error('../shared/data is needed for the seeds');
    const counts = quick
      ? { decoders: 60_000, qr: 3_000, face: 1_000 }
      : { decoders: 960_000, qr: 30_000, face: 10_000 };
    const rows = await fuzzHostileFiles(data, counts, progress);
    const total = rows.reduce((s, r) => s + r.inputs, 0);
    return {
      tables: [
        {
          title: `Hostile files: ${total.toLocaleString('en')} mutated inputs (byte flips, cuts, spliced junk), none crashed`,
          rows: rows.map((r) => ({
            target: r.target,
            inputs: r.inputs,
            accepted: r.accepted,
            'typed errors': Object.entries(r.errors)
              .map(([c, n]) => `${c} ${n}`)
              .join(', '),
            'slowest ms': Math.round(r.slowestMs),
            'CPU µs/input': Math.round((r.cpuMs * 1000) / r.inputs),
          })),
        },
      ],
      notes: [`total ${total} inputs`],
      data: { total, rows },
    };
  },
});
