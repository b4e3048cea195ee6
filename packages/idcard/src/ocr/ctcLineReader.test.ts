import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineFixtures, loadLine } from '../../test/fixtures/lines.js';
import { CTC_CHARSET, CTC_MODEL, CtcLineReader } from './ctcLineReader.js';
import { createLineRecognizer } from './createLineRecognizer.js';

const modelsDir = join(import.meta.dirname, '../../models');

describe('CtcLineReader (shipped ONNX model on onnxruntime-node)', () => {
  it('uses the charset the model was trained with', () => {
    const meta = JSON.parse(readFileSync(join(modelsDir, 'idcard-line.json'), 'utf8')) as { charset: string };
    expect([...meta.charset]).toEqual(CTC_CHARSET);
    expect(CTC_CHARSET).toHaveLength(206);
  });

  it('takes the input height from the model (the shipped one and its JSON agree)', async () => {
    const meta = JSON.parse(readFileSync(join(modelsDir, 'idcard-line.json'), 'utf8')) as { height: number };
    const reader = await CtcLineReader.create();
    expect(reader.height).toBe(meta.height);
    expect(reader.height).toBe(CTC_MODEL.height);
    await reader.close();
  });

  it('reads a held-out line within the field alphabet with per-character confidences', async () => {
    const reader = await CtcLineReader.create();
    const f = lineFixtures().find((l) => l.group === 'date') as { file: string; text: string };
    const r = await reader.recognize(await loadLine(f.file), 'dateOfBirth');
    expect(r.text).toMatch(/^[\d/.-]*$/);
    expect(r.chars.map((c) => c.char).join('')).toBe(r.text);
    for (const c of r.chars) expect(c.confidence).toBeGreaterThan(0);
    await reader.close();
    await reader.close();
    await expect(reader.recognize(await loadLine(f.file), 'dateOfBirth')).rejects.toMatchObject({
      code: 'idcard/closed',
    });
  });

  it('reads the held-out ID-number and date lines it is the default engine for', async () => {
    const reader = await CtcLineReader.create();
    const lines = lineFixtures().filter((l) => l.group === 'id' || l.group === 'date');
    let exact = 0;
    for (const l of lines) {
      const r = await reader.recognize(await loadLine(l.file), l.group === 'id' ? 'idNumber' : 'dateOfBirth');
      if (r.text === l.text) exact++;
    }
    await reader.close();
    // measured 100 % (bench idcard-ocr); tesseract.js reads 100 % / 98 %
    expect(exact / lines.length).toBeGreaterThanOrEqual(0.97);
  });

  it('gives typed errors for a bad model, a bad image and an unknown field', async () => {
    await expect(CtcLineReader.create({ model: new Uint8Array([1, 2, 3]) })).rejects.toMatchObject({
      code: 'idcard/engine-unavailable',
    });
    await expect(CtcLineReader.create({ model: join(modelsDir, 'missing.onnx') })).rejects.toMatchObject({
      code: 'idcard/model-missing',
    });
    const ocr = await createLineRecognizer({ engine: 'ctc' });
    const empty = { width: 0, height: 0, channels: 1 as const, data: new Uint8Array(0) };
    await expect(ocr.recognize(empty, { field: 'fullName' })).rejects.toMatchObject({ code: 'idcard/bad-image' });
    const wide = { width: 4000, height: 10, channels: 1 as const, data: new Uint8Array(40000) };
    await expect(ocr.recognize(wide, { field: 'fullName' })).rejects.toMatchObject({ code: 'idcard/bad-image' });
    await expect(ocr.recognize(wide, { field: 'shoeSize' as never })).rejects.toMatchObject({
      code: 'idcard/bad-options',
    });
    await ocr.close();
  });
});
