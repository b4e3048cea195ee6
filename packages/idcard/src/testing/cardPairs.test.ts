import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedCardPairSet, loadGeneratorData } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'idcard-pairs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('front/back pairs', () => {
  it('photographs both sides of one holder apart, caches them, and grows a set pair by pair', async () => {
    const data = await loadGeneratorData(undefined);
    const options = { data, count: 1, types: ['cccd-2021'] as const, levels: [0], seed: 9 };
    const first = [];
    for await (const p of cachedCardPairSet(options, dir)) first.push(p);
    expect(first.map((p) => p.name)).toEqual(['cccd-2021-pair-L0-000']);
    const [p] = first;
    if (!p) throw new Error('no pair');
    expect([p.front.truth.side, p.back.truth.side]).toEqual(['front', 'back']);
    // the same holder: the back's MRZ carries the front's number; the QR (front) its name
    expect(p.back.truth.mrz?.[0]).toContain(p.front.truth.fields.idNumber);
    expect(p.front.truth.qrText?.split('|')[2]?.toLocaleUpperCase('vi')).toBe(p.front.truth.fields.fullName);
    // two photos drawn apart: not the same placement
    expect(p.front.truth.quad).not.toEqual(p.back.truth.quad);
    // a second run asks for one more pair: the first is read back from disk as it was
    const second = [];
    for await (const q of cachedCardPairSet({ ...options, count: 2 }, dir)) second.push(q);
    expect(second.map((q) => q.name)).toEqual(['cccd-2021-pair-L0-000', 'cccd-2021-pair-L0-001']);
    expect(second[0]?.front.jpeg).toEqual(p.front.jpeg);
    expect(second[1]?.front.truth.fields.idNumber).not.toBe(p.front.truth.fields.idNumber);
    const files = readdirSync(join(dir, readdirSync(dir)[0] as string));
    expect(files.sort()).toEqual([
      'cccd-2021-pair-L0-000.back.jpg',
      'cccd-2021-pair-L0-000.front.jpg',
      'cccd-2021-pair-L0-000.json',
      'cccd-2021-pair-L0-001.back.jpg',
      'cccd-2021-pair-L0-001.front.jpg',
      'cccd-2021-pair-L0-001.json',
    ]);
  }, 120_000);
});
