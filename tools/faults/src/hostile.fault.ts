// Hostile files, CI-bounded: mutated JPEG, PNG and WebP through the decoders, the QR reader and
// the face pipeline. The million runs in `pnpm bench hostile-files`.
import { sharedData } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
import { fuzzHostileFiles } from './hostile.js';
import { recordFault } from './report.js';

const data = sharedData('');

describe.skipIf(!data)('hostile image files', () => {
  it('every mutated input ends in an image or a typed error, through every entry point', async () => {
    const rows = await fuzzHostileFiles(data!, { decoders: 8_000, qr: 400, face: 150 });
    for (const r of rows) {
      // fuzzDecode throws on anything untyped; here: both outcomes occur, so the mutations bite.
      expect(r.accepted, r.target).toBeGreaterThan(0);
      expect(
        Object.values(r.errors).reduce((a, b) => a + b, 0),
        r.target,
      ).toBeGreaterThan(0);
      for (const code of Object.keys(r.errors)) expect(code).toMatch(/^(image|qr|face)\//);
      recordFault({
        fault: `Hostile files (mutated JPEG/PNG/WebP) → ${r.target}`,
        injected: r.inputs,
        survived: `no crash, no untyped error: ${r.accepted} accepted, ${Object.entries(r.errors)
          .map(([c, n]) => `${c} ${n}`)
          .join(', ')}; slowest ${Math.round(r.slowestMs)} ms`,
        lost: 0,
        recoveryMs: undefined,
      });
    }
  });
});
