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

/** A tone stacked on a circumflex, breve or horn letter (Ấ, Ặ, Ể, Ỗ, Ợ, Ự …): the marks the session-12 name misses lost. */
const isStacked = (c: string): boolean => {
  const d = c.normalize('NFD');
  return /[\u0302\u0306\u031b]/u.test(d) && /[\u0300\u0301\u0303\u0309\u0323]/u.test(d);
};

/** Stacked-tone letters of `truth` that `read` has at the aligned place (edit-distance alignment). */
function stackedRight(truth: string, read: string): [right: number, total: number] {
  const a = [...truth];
  const b = [...read];
  const total = a.filter(isStacked).length;
  if (!total) return [0, 0];
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i ? (j ? 0 : i) : j)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      (d[i] as number[])[j] = Math.min(
        (d[i - 1] as number[])[j]! + 1,
        (d[i] as number[])[j - 1]! + 1,
        (d[i - 1] as number[])[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
  let right = 0;
  for (let i = a.length, j = b.length; i > 0 && j > 0; ) {
    const here = (d[i] as number[])[j]!;
    if (a[i - 1] === b[j - 1] && here === (d[i - 1] as number[])[j - 1]) {
      if (isStacked(a[i - 1]!)) right++;
      i--;
      j--;
    } else if (here === (d[i - 1] as number[])[j - 1]! + 1) {
      i--;
      j--;
    } else if (here === (d[i - 1] as number[])[j]! + 1) i--;
    else j--;
  }
  return [right, total];
}

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
  const stacked = outcomes.map((o) => stackedRight(o.truth, o.read));
  const stackedTotal = stacked.reduce((s, [, t]) => s + t, 0);
  const stackedOk = stacked.reduce((s, [r]) => s + r, 0);
  const inNames = stacked.filter((_, i) => outcomes[i]?.group === 'fullName');
  const namesTotal = inNames.reduce((s, [, t]) => s + t, 0);
  const namesOk = inNames.reduce((s, [r]) => s + r, 0);
  out[name] = {
    scores,
    cpuMsPerLine: (c.user + c.system) / 1000 / recs.length,
    stackedLetters: { right: stackedOk, total: stackedTotal, namesRight: namesOk, namesTotal },
    errors: outcomes.filter((o) => o.truth !== o.read).map((o) => [o.group, o.truth, o.read]),
  };
  console.log(
    `## ${name}: ${((c.user + c.system) / 1000 / recs.length).toFixed(1)} ms CPU / line; stacked-tone letters read right ${stackedOk} of ${stackedTotal} (in names ${namesOk} of ${namesTotal})`,
  );
  for (const s of scores)
    console.log(
      `${s.group.padEnd(26)} ${String(s.lines).padStart(4)} exact ${(100 * s.exact).toFixed(1).padStart(5)} %  CER ${(100 * s.cer).toFixed(2).padStart(5)} %`,
    );
}
console.log(`JSON ${JSON.stringify(out)}`);
