import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@smart-citizen/core';
import { generateCardSide, loadGeneratorData, photographCard } from '@smart-citizen/idcard/testing';
import { describe, expect, it } from 'vitest';
import { runCli } from '../runCli.js';
import { captureIO } from '../testing/captureIO.js';

describe('smart-citizen card', () => {
  it('finds and classifies a generated card photo and writes the portrait and prints with --crops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-card-'));
    const data = await loadGeneratorData(undefined);
    const rng = createRng(4);
    const front = await generateCardSide('cccd-2016', 'back', data, rng);
    writeFileSync(join(dir, 'back.jpg'), (await photographCard(front.card.image, 1, rng)).jpeg);
    writeFileSync(join(dir, 'junk.jpg'), new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    const io = captureIO(dir);
    const code = await runCli(['card', 'back.jpg', 'junk.jpg', '--no-ocr', '--json', '--crops', 'out'], io);
    expect(io.err).toBe('');
    expect(code).toBe(1);
    const j = JSON.parse(io.out);
    expect(j.sides[0]).toMatchObject({ status: 'read', documentType: 'cccd-2016', side: 'back' });
    expect(j.sides[1].status).toBe('bad-image');
    expect(existsSync(join(dir, 'out', 'left-index.png'))).toBe(true);
    expect(existsSync(join(dir, 'out', 'right-index.png'))).toBe(true);
    // the cut prints are handed to @smart-citizen/fingerprint: a minutiae template each (ISO 19794-2)
    expect(j.sides[0].fingerprints.leftIndex.minutiae).toBeGreaterThan(5);
    expect(existsSync(join(dir, 'out', 'left-index.iso'))).toBe(true);
    expect(await runCli(['card'], captureIO(dir))).toBe(2);
  });
});
