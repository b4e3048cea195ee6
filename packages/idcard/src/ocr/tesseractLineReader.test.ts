import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineFixtures, loadLine } from '../../test/fixtures/lines.js';
import { type LineOutcome, scoreLines } from './evaluateLines.js';
import { TesseractLineReader } from './tesseractLineReader.js';

// Real tesseract.js with the installed vie/eng data on held-out rendered card lines. The floors
// are far below the measured rates (README table): they catch a broken set-up, not a 1-point drift.
let reader: TesseractLineReader;
beforeAll(() => {
  reader = new TesseractLineReader(1);
});
afterAll(async () => {
  await reader.close();
});

describe('TesseractLineReader (real engine)', () => {
  it('reads ID numbers, dates and names with their whitelists', async () => {
    const fixtures = lineFixtures().filter((f, i) => f.group !== 'address' && f.group !== 'mrz' && i % 5 === 0);
    const field = { id: 'idNumber', date: 'dateOfBirth', name: 'fullName' } as const;
    const outcomes: LineOutcome[] = [];
    for (const f of fixtures) {
      const r = await reader.recognize(await loadLine(f.file), field[f.group as keyof typeof field]);
      expect(r.chars.map((c) => c.char).join('')).toBe(r.text);
      if (f.group === 'id') expect(r.text).toMatch(/^[0-9 ]*$/);
      outcomes.push({ group: f.group, truth: f.text, read: r.text, confidence: r.confidence });
    }
    const all = scoreLines(outcomes).find((s) => s.group === 'all');
    expect(all?.exact).toBeGreaterThan(0.4);
    expect(all?.cer).toBeLessThan(0.15);
  });

  it('is closed after close()', async () => {
    const r = new TesseractLineReader(1);
    await r.close();
    await r.close();
    const img = await loadLine(lineFixtures()[0]?.file as string);
    await expect(r.recognize(img, 'idNumber')).rejects.toMatchObject({ code: 'idcard/closed' });
  });
});
