import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCardPhotos } from '../testing/cardPhotos.js';
import { expectJson, runCaptured, tempDir } from '../testing/runCaptured.js';

describe('smart-citizen card', () => {
  it('finds and classifies a generated card photo and writes the portrait and prints with --crops', async () => {
    const dir = tempDir('sc-card-', { 'junk.jpg': new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) });
    await writeCardPhotos(dir, 4, { 'back.jpg': ['cccd-2016', 'back', 1] });
    const io = await runCaptured(['card', 'back.jpg', 'junk.jpg', '--no-ocr', '--json', '--crops', 'out'], dir);
    const j = expectJson(io, 1);
    expect(j.sides[0]).toMatchObject({ status: 'read', documentType: 'cccd-2016', side: 'back' });
    expect(j.sides[1].status).toBe('bad-image');
    expect(existsSync(join(dir, 'out', 'left-index.png'))).toBe(true);
    expect(existsSync(join(dir, 'out', 'right-index.png'))).toBe(true);
    // the cut prints are handed to @smart-citizen/fingerprint: a minutiae template each (ISO 19794-2).
    // The count is the extractor's business (this level-1 photo's left print gave 5 after the
    // card-print preprocessing change d019fda, more before); the hand-off is what is tested here.
    expect(j.sides[0].fingerprints.leftIndex.minutiae).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'out', 'left-index.iso'))).toBe(true);
    expect((await runCaptured(['card'], dir)).code).toBe(2);
  });
});
