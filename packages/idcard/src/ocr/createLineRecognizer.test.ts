import { describe, expect, it } from 'vitest';
import { lineFixtures, loadLine } from '../../test/fixtures/lines.js';
import { createLineRecognizer } from './createLineRecognizer.js';

describe('createLineRecognizer (real tesseract.js)', () => {
  it('reads a card line through the field it is given, then refuses calls after close', async () => {
    const ocr = await createLineRecognizer({ engine: 'tesseract', tesseractWorkers: 1 });
    const id = lineFixtures().find((f) => f.group === 'id') as { file: string; text: string };
    const img = await loadLine(id.file);
    const r = await ocr.recognize(img, { field: 'idNumber' });
    expect(r.text).toMatch(/^\d[\d ]*$/);
    expect(r.confidence).toBeGreaterThan(0);
    await ocr[Symbol.asyncDispose]();
    await ocr.close();
    await expect(ocr.recognize(img, { field: 'idNumber' })).rejects.toMatchObject({ code: 'idcard/closed' });
  });

  it('rejects options that cannot work', async () => {
    await expect(createLineRecognizer({ engine: 'paddle' as never })).rejects.toMatchObject({
      code: 'idcard/bad-options',
    });
    await expect(createLineRecognizer({ tesseractWorkers: 0 })).rejects.toMatchObject({ code: 'idcard/bad-options' });
  });
});
