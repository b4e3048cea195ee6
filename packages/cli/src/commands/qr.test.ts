import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCardQrSet } from '@smart-citizen/qr/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCaptured, tempDir } from '../testing/runCaptured.js';

describe('smart-citizen qr', () => {
  const dir = tempDir('sc-qr-', { 'not-an-image.jpg': 'hello' });
  let expected = '';
  beforeAll(async () => {
    const [sample] = await generateCardQrSet({ count: 1, levels: [0], seed: 21 });
    expected = sample!.text;
    writeFileSync(join(dir, 'card.jpg'), sample!.jpeg!);
  });

  it('prints one JSON object per image with the payload and identity', async () => {
    const io = await runCaptured(['qr', 'card.jpg', '--json', '--today', '2026-06-01', '--budget', '3000'], dir);
    expect(io.code).toBe(0);
    const lines = io.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ file: 'card.jpg', ok: true, text: expected, issues: [] });
    expect(line.identity.idNumber).toBe(expected.slice(0, 12));
    expect(line.ms).toBeTypeOf('number');
  });

  it('reports unreadable files per image and exits 2', async () => {
    const io = await runCaptured(
      ['qr', 'card.jpg', 'not-an-image.jpg', 'missing.png', '--json', '--budget', '3000'],
      dir,
    );
    expect(io.code).toBe(2);
    const lines = jsonLines(io.out);
    expect(lines.map((l) => [l.file, l.ok])).toEqual([
      ['card.jpg', true],
      ['not-an-image.jpg', false],
      ['missing.png', false],
    ]);
    expect(lines[1].issues[0].code).toMatch(/^image\//);
    expect(lines[2].issues[0].code).toBe('cli/file-not-found');
  });

  it('prints a readable summary without --json, and usage errors exit 2', async () => {
    const io = await runCaptured(['qr', 'card.jpg', '--budget', '3000'], dir);
    expect(io.code).toBe(0);
    expect(io.out).toContain('OK');
    expect(io.out).toContain(expected.slice(0, 12));
    expect((await runCaptured(['qr'], dir)).code).toBe(2);
    expect((await runCaptured(['qr', 'card.jpg', '--budget', 'x'], dir)).code).toBe(2);
  });
});
