import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCardQrSet } from '@smart-citizen/qr/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../runCli.js';
import { captureIO } from '../testing/captureIO.js';

const capture = captureIO;

describe('smart-citizen qr', () => {
  let dir = '';
  let expected = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sc-qr-'));
    const [sample] = await generateCardQrSet({ count: 1, levels: [0], seed: 21 });
    expected = sample!.text;
    writeFileSync(join(dir, 'card.jpg'), sample!.jpeg!);
    writeFileSync(join(dir, 'not-an-image.jpg'), 'hello');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one JSON object per image with the payload and identity', async () => {
    const io = capture(dir);
    const code = await runCli(['qr', 'card.jpg', '--json', '--today', '2026-06-01', '--budget', '3000'], io);
    expect(code).toBe(0);
    const lines = io.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ file: 'card.jpg', ok: true, text: expected, issues: [] });
    expect(line.identity.idNumber).toBe(expected.slice(0, 12));
    expect(line.ms).toBeTypeOf('number');
  });

  it('reports unreadable files per image and exits 2', async () => {
    const io = capture(dir);
    const code = await runCli(['qr', 'card.jpg', 'not-an-image.jpg', 'missing.png', '--json', '--budget', '3000'], io);
    expect(code).toBe(2);
    const lines = io.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.file, l.ok])).toEqual([
      ['card.jpg', true],
      ['not-an-image.jpg', false],
      ['missing.png', false],
    ]);
    expect(lines[1].issues[0].code).toMatch(/^image\//);
    expect(lines[2].issues[0].code).toBe('cli/file-not-found');
  });

  it('prints a readable summary without --json, and usage errors exit 2', async () => {
    const io = capture(dir);
    expect(await runCli(['qr', 'card.jpg', '--budget', '3000'], io)).toBe(0);
    expect(io.out).toContain('OK');
    expect(io.out).toContain(expected.slice(0, 12));
    expect(await runCli(['qr'], capture(dir))).toBe(2);
    expect(await runCli(['qr', 'card.jpg', '--budget', 'x'], capture(dir))).toBe(2);
  });
});
