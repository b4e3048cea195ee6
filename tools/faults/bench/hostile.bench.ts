import { defineBench } from '@smart-citizen/bench';
import { sharedData } from '@smart-citizen/test-kit';
import { fuzzHostileFiles } from '../src/hostile.js';

/**
 * `pnpm bench hostile-files [headers] [--quick]`: mutated images through the image entry points:
 * a million through the header parser, a million more through the decoders, the QR reader and
 * the face pipeline (`headers` runs only the first million).
 */
export const bench = defineBench({
  name: 'hostile-files',
  pkg: 'faults',
  description: 'mutation fuzzing of decodeImage, readCardQr and FaceVerifier.embed with hostile JPEG/PNG/WebP files',
  async run({ quick, progress, args }) {
    const data = sharedData('');
    if (!data) throw new Error('../shared/data is needed for the seeds');
    // `pnpm bench hostile-files headers`: only the million header inputs (minutes, not hours).
    const counts = args.includes('headers')
      ? { headers: 1_000_000, decoders: 0, qr: 0, face: 0 }
      : quick
        ? { headers: 100_000, decoders: 60_000, qr: 3_000, face: 1_000 }
        : { headers: 1_000_000, decoders: 960_000, qr: 30_000, face: 10_000 };
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
