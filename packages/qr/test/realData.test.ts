import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage } from '@smart-citizen/image';
import { sharedData } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
import { createZxingWasmEngine } from '../src/engine/createZxingWasmEngine.js';
import { readCardQr } from '../src/read/readCardQr.js';

const dir = sharedData('qr');

/** Every image with a `.txt` of the expected text beside it. */
function samples(setDir: string): { file: string; expected: string }[] {
  const out: { file: string; expected: string }[] = [];
  for (const sub of readdirSync(setDir).sort()) {
    for (const f of readdirSync(join(setDir, sub)).sort()) {
      const m = /^(.*)\.(png|jpe?g|webp)$/i.exec(f);
      const txt = m ? join(setDir, sub, `${m[1]}.txt`) : '';
      if (m && existsSync(txt)) out.push({ file: join(setDir, sub, f), expected: readFileSync(txt, 'utf8') });
    }
  }
  return out;
}

describe.skipIf(!dir)('readCardQr on the real zxing photo sets (../shared/data/qr)', () => {
  // Floors sit below the benchmark's figures (README) so machine load cannot fail them;
  // raw zxing-wasm decodes 91.2% and 92.2% of these sets.
  it.each([
    ['zxing-cpp', 0.92],
    ['zxing-blackbox', 0.92],
  ])('decodes the %s set at least at the floor', async (set, floor) => {
    const engine = await createZxingWasmEngine();
    const list = samples(join(dir as string, set));
    expect(list.length).toBeGreaterThan(100);
    let ok = 0;
    for (const s of list) {
      const image = await decodeImage(new Uint8Array(readFileSync(s.file)));
      const r = await readCardQr(image, { engine, accept: 'any', timeBudgetMs: 2000 });
      if (r.text === s.expected) ok++;
    }
    expect(ok / list.length).toBeGreaterThanOrEqual(floor);
    engine.close();
  });
});
