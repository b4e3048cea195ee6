/**
 * Score line engines on reader crops of held-out cards (`dump_card_lines.ts … --originals`):
 * exact-line rate and CER per field and engine, the crops given to each engine as the reader
 * cuts them, with the field's alphabet.
 *
 *   pnpm exec tsx --conditions=@smart-citizen/source packages/idcard/training/score_card_lines.ts DIR [MODEL.onnx ...]
 *
 * Engines: tesseract, and the CTC model of each path given (the shipped one when none is).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RasterImage } from '@smart-citizen/image';
import { createLineRecognizer } from '../src/ocr/createLineRecognizer.js';
import { scoreLines, type LineOutcome } from '../src/ocr/evaluateLines.js';
import type { LineField } from '../src/ocr/lineAlphabets.js';

const [dir, ...models] = process.argv.slice(2);
if (!dir) throw new Error('usage: score_card_lines.ts DIR [MODEL.onnx ...]');
const raw = new Uint8Array(readFileSync(join(dir, 'originals.u8')));
interface Rec {
  text: string;
  field: LineField;
  level: number;
  ooff: number;
  ow: number;
  oh: number;
}
const recs = readFileSync(join(dir, 'lines.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Rec);
const image = (r: Rec): RasterImage => ({
  width: r.ow,
  height: r.oh,
  channels: 1,
  data: raw.subarray(r.ooff, r.ooff + r.ow * r.oh),
});
const engines: [string, Parameters<typeof createLineRecognizer>[0]][] = [
  ...(models.length ? models : ['']).map(
    (m) =>
      [`ctc ${m || 'shipped'}`, { engine: 'ctc' as const, ...(m ? { ctc: { model: m } } : {}) }] as [
        string,
        Parameters<typeof createLineRecognizer>[0],
      ],
  ),
  ...(process.env.SKIP_TESSERACT
    ? []
    : [
        ['tesseract', { engine: 'tesseract' as const, tesseractWorkers: 1 }] as [
          string,
          Parameters<typeof createLineRecognizer>[0],
        ],
      ]),
];
const out: Record<string, unknown> = {};
for (const [name, options] of engines) {
  const ocr = await createLineRecognizer(options);
  const outcomes: LineOutcome[] = [];
  const c0 = process.cpuUsage();
  for (const r of recs) {
    const got = await ocr.recognize(image(r), { field: r.field });
    outcomes.push({
      group: r.field,
      truth: r.text,
      read: got.text.normalize('NFC').trim(),
      confidence: got.confidence,
    });
  }
  const c = process.cpuUsage(c0);
  await ocr.close();
  const scores = scoreLines(outcomes);
  out[name] = {
    scores,
    cpuMsPerLine: (c.user + c.system) / 1000 / recs.length,
    errors: outcomes.filter((o) => o.truth !== o.read).map((o) => [o.group, o.truth, o.read]),
  };
  console.log(`## ${name}: ${((c.user + c.system) / 1000 / recs.length).toFixed(1)} ms CPU / line`);
  for (const s of scores)
    console.log(
      `${s.group.padEnd(26)} ${String(s.lines).padStart(4)} exact ${(100 * s.exact).toFixed(1).padStart(5)} %  CER ${(100 * s.cer).toFixed(2).padStart(5)} %`,
    );
}
console.log(`JSON ${JSON.stringify(out)}`);
