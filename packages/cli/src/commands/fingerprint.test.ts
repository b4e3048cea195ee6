import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedData } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCaptured, tempDir } from '../testing/runCaptured.js';

const run = (argv: string[], cwd?: string) => runCaptured(['fingerprint', ...argv], cwd);

describe('smart-citizen fingerprint: usage and bad input', () => {
  it('rejects bad usage with exit 2', async () => {
    expect((await run(['match', 'only-one.png'])).code).toBe(2);
    expect((await run(['explode'])).code).toBe(2);
    expect((await run(['extract', 'a.png', '--format', 'iso'])).code).toBe(2);
    expect((await run(['extract', 'a.png', '--format', 'wsq', '-o', 'x'])).code).toBe(2);
  });

  it('a corrupt template and a blank image are typed errors in JSON', async () => {
    const dir = tempDir('sc-fp-', {
      'bad.fmr': Uint8Array.from([0x46, 0x4d, 0x52, 0, 0x20, 0x32, 0x30, 0, 1, 2, 3]),
      'bad.json': '{"width": 1}',
    });
    const r = await run(['match', 'bad.fmr', 'bad.json', '--json'], dir);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).error.code).toBe('fingerprint/bad-template');
    const { encodePng } = await import('@smart-citizen/image');
    writeFileSync(
      join(dir, 'blank.png'),
      encodePng({ width: 200, height: 200, channels: 1, data: new Uint8Array(200 * 200).fill(230) }),
    );
    const b = await run(['extract', 'blank.png', '--json'], dir);
    expect(JSON.parse(b.out).error.code).toBe('fingerprint/no-print');
  });
});

const db1 = sharedData('fingerprint/fvc2002/DB1_B');

describe.skipIf(!db1)('smart-citizen fingerprint on FVC2002 DB1', () => {
  const dir = db1 as string;

  it('extracts ISO and ANSI records that match the image they came from', async () => {
    const out = tempDir('sc-fp-');
    const iso = await run(['extract', join(dir, '101_1.png'), '--format', 'iso', '-o', join(out, 'a.fmr'), '--json']);
    expect(iso.code).toBe(0);
    expect(JSON.parse(iso.out).minutiae).toBeGreaterThan(10);
    expect(Array.from(readFileSync(join(out, 'a.fmr')).subarray(0, 4))).toEqual([0x46, 0x4d, 0x52, 0]);
    await run(['extract', join(dir, '101_2.png'), '--format', 'ansi', '-o', join(out, 'b.fmr')]);
    const same = await run(['match', join(out, 'a.fmr'), join(dir, '101_1.png'), '--json']);
    const j = JSON.parse(same.out);
    expect(j.match).toBe(true);
    expect(j).toHaveProperty('threshold', 30);
    expect(typeof j.ms).toBe('number');
    const genuine = JSON.parse((await run(['match', join(out, 'a.fmr'), join(out, 'b.fmr'), '--json'])).out);
    const impostor = JSON.parse((await run(['match', join(dir, '101_1.png'), join(dir, '105_1.png'), '--json'])).out);
    expect(genuine.score).toBeGreaterThan(impostor.score);
  });

  it('--pairs prints one JSON line per pair and reports unreadable lines', async () => {
    const out = tempDir('sc-fp-', {
      'pairs.tsv': `# a\tb\n${join(dir, '102_1.png')}\t${join(dir, '102_2.png')}\n${join(dir, '102_1.png')}\t${join(dir, '103_1.png')}\nbroken-line\n`,
    });
    const r = await run(['match', '--pairs', join(out, 'pairs.tsv'), '--json']);
    const lines = jsonLines(r.out);
    expect(lines).toHaveLength(3);
    expect(lines[0].score).toBeGreaterThan(lines[1].score);
    expect(lines[2].ok).toBe(false);
    expect(r.code).toBe(1);
  });
});
