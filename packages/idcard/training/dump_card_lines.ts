/**
 * Line crops as the reader feeds them to its recogniser, cut from generated card photos, with
 * the printed text of each line: training and held-out data for the CTC line model.
 *
 *   pnpm exec tsx --conditions=@smart-citizen/source packages/idcard/training/dump_card_lines.ts OUT SEED COUNT [LEVELS]
 *
 * Each photo is read by the real `IdCardReader` (outline, rectification, classification) with a
 * recogniser that records the crops it is given; a side whose type or side is misclassified is
 * skipped (its crops would be cut from the wrong layout). Each crop is scaled exactly as
 * `CtcLineReader` scales it (`prepareLine`, 32 px high, or each height of `--heights 48,32`)
 * and stored as ink bytes (255 × (1 − grey/255)) in `OUT/lines.u8`; `OUT/lines.jsonl` has one
 * record per crop: `{ off, w, h, text, field, type, side, level }`. With several heights each goes
 * to its own folder `OUT/hH`. With `--originals` each crop is also kept as cut (grey, its own
 * size) in `originals.u8` (`ooff`, `ow`, `oh` in the record), so other engines can be scored on
 * the same lines. The bench uses seed 2: never pass it here.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RasterImage, toGrey } from '@smart-citizen/image';
import { sharedDataRoot } from '@smart-citizen/test-kit';
import { IdCardReader } from '../src/IdCardReader.js';
import { CTC_MODEL } from '../src/ocr/ctcLineReader.js';
import { prepareLine } from '../src/ocr/prepareLine.js';
import { generateCardSet, loadGeneratorData } from '../src/testing/index.js';

const args = process.argv.slice(2);
const originals = args.includes('--originals');
const hi = args.indexOf('--heights');
const heights = hi >= 0 ? (args[hi + 1] ?? '').split(',').map(Number) : [CTC_MODEL.height];
if (!heights.length || heights.some((h) => !(h >= 16))) throw new Error('--heights: e.g. 48,32');
const [outArg, seedArg, countArg, levelsArg] = args.filter((a, i) => !a.startsWith('--') && i !== hi + 1);
if (!outArg || !seedArg || !countArg)
  throw new Error('usage: dump_card_lines.ts OUT SEED COUNT [LEVELS] [--originals] [--heights 48,32]');
const seed = Number(seedArg);
if (seed === 2) throw new Error('seed 2 is the bench set');
const levels = (levelsArg ?? '0,1,2,3,4').split(',').map(Number);
const outs = heights.map((height) => {
  const dir = heights.length > 1 ? join(outArg, `h${height}`) : outArg;
  mkdirSync(dir, { recursive: true });
  const o = {
    height,
    bin: join(dir, 'lines.u8'),
    idx: join(dir, 'lines.jsonl'),
    orig: join(dir, 'originals.u8'),
    off: 0,
  };
  writeFileSync(o.bin, new Uint8Array(0));
  writeFileSync(o.idx, '');
  if (originals) writeFileSync(o.orig, new Uint8Array(0));
  return o;
});
let ooff = 0;

let crops: { field: string; image: RasterImage }[] = [];
const reader = await IdCardReader.create({
  places: false,
  recognizer: {
    async recognize(image, { field }) {
      crops.push({ field, image });
      return { text: '', confidence: 0 };
    },
  },
});
const data = await loadGeneratorData(sharedDataRoot);
let sides = 0;
let skipped = 0;
let lines = 0;
const cpu0 = process.cpuUsage();
for await (const p of generateCardSet({ data, count: Number(countArg), levels, seed })) {
  crops = [];
  const r = await reader.readSide(p.jpeg);
  const { truth } = p;
  if (r.status !== 'read' || r.documentType !== truth.type || r.side !== truth.side) {
    skipped++;
    continue;
  }
  sides++;
  const seen = new Map<string, number>();
  for (const c of crops) {
    const i = seen.get(c.field) ?? 0;
    seen.set(c.field, i + 1);
    const want = c.field === 'mrz' ? truth.mrz?.[i] : truth.fieldLines[c.field as keyof typeof truth.fieldLines]?.[i];
    if (want === undefined || want.trim() === '') continue;
    const text = want.normalize('NFC').replace(/\u00d0/g, '\u0110');
    let scaled: ReturnType<typeof prepareLine>[];
    try {
      scaled = heights.map((h) => prepareLine(c.image, h));
    } catch {
      continue;
    }
    const grey = originals ? toGrey(c.image) : undefined;
    outs.forEach((o, k) => {
      const line = scaled[k] as ReturnType<typeof prepareLine>;
      const bytes = new Uint8Array(line.data.length);
      for (let i = 0; i < bytes.length; i++)
        bytes[i] = Math.round(255 * Math.min(1, Math.max(0, line.data[i] as number)));
      appendFileSync(o.bin, bytes);
      const record: Record<string, unknown> = {
        off: o.off,
        w: line.width,
        h: line.height,
        text,
        field: c.field,
        type: truth.type,
        side: truth.side,
        level: truth.level,
      };
      if (grey) {
        appendFileSync(o.orig, grey.data);
        Object.assign(record, { ooff, ow: grey.width, oh: grey.height });
      }
      appendFileSync(o.idx, `${JSON.stringify(record)}\n`);
      o.off += bytes.length;
    });
    if (grey) ooff += grey.data.length;
    lines++;
  }
  if ((sides + skipped) % 10 === 0) {
    const c = process.cpuUsage(cpu0);
    console.log(
      `${sides} sides read, ${skipped} skipped, ${lines} lines, ${((c.user + c.system) / 1e6).toFixed(0)} s CPU`,
    );
  }
}
await reader.close();
console.log(`done: ${sides} sides, ${skipped} skipped, ${lines} lines`);
