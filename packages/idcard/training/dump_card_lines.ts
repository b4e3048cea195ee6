/**
 * Line crops as the reader feeds them to its recogniser, cut from generated card photos, with
 * the printed text of each line: training and held-out data for the CTC line model.
 *
 *   pnpm exec tsx --conditions=@smart-citizen/source packages/idcard/training/dump_card_lines.ts OUT SEED COUNT [LEVELS]
 *
 * Each photo is read by the real `IdCardReader` (outline, rectification, classification) with a
 * recogniser that records the crops it is given; a side whose type or side is misclassified is
 * skipped (its crops would be cut from the wrong layout). Each crop is scaled exactly as
 * `CtcLineReader` scales it (`prepareLine`, 32 px high) and stored as ink bytes
 * (255 × (1 − grey/255)) in `OUT/lines.u8`; `OUT/lines.jsonl` has one record per crop:
 * `{ off, w, text, field, type, side, level }`. With `--originals` each crop is also kept as cut
 * (grey, its own size) in `OUT/originals.u8` (`ooff`, `ow`, `oh` in the record), so other
 * engines can be scored on the same lines. The bench uses seed 2: never pass it here.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RasterImage, toGrey } from '@smart-citizen/image';
import { sharedDataRoot } from '@smart-citizen/test-kit';
import { IdCardReader } from '../src/IdCardReader.js';
import { CTC_MODEL } from '../src/ocr/ctcLineReader.js';
import { prepareLine } from '../src/ocr/prepareLine.js';
import { generateCardSet, loadGeneratorData } from '../src/testing/index.js';

const originals = process.argv.includes('--originals');
const [out, seedArg, countArg, levelsArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!out || !seedArg || !countArg) throw new Error('usage: dump_card_lines.ts OUT SEED COUNT [LEVELS]');
const seed = Number(seedArg);
if (seed === 2) throw new Error('seed 2 is the bench set');
const levels = (levelsArg ?? '0,1,2,3,4').split(',').map(Number);
mkdirSync(out, { recursive: true });
const bin = join(out, 'lines.u8');
const idx = join(out, 'lines.jsonl');
writeFileSync(bin, new Uint8Array(0));
writeFileSync(idx, '');
const orig = join(out, 'originals.u8');
if (originals) writeFileSync(orig, new Uint8Array(0));
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
let off = 0;
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
    let line: ReturnType<typeof prepareLine>;
    try {
      line = prepareLine(c.image, CTC_MODEL.height);
    } catch {
      continue;
    }
    const bytes = new Uint8Array(line.data.length);
    for (let k = 0; k < bytes.length; k++)
      bytes[k] = Math.round(255 * Math.min(1, Math.max(0, line.data[k] as number)));
    appendFileSync(bin, bytes);
    const text = want.normalize('NFC').replace(/\u00d0/g, '\u0110');
    const record: Record<string, unknown> = {
      off,
      w: line.width,
      text,
      field: c.field,
      type: truth.type,
      side: truth.side,
      level: truth.level,
    };
    if (originals) {
      const g = toGrey(c.image);
      appendFileSync(orig, g.data);
      Object.assign(record, { ooff, ow: g.width, oh: g.height });
      ooff += g.data.length;
    }
    appendFileSync(idx, `${JSON.stringify(record)}\n`);
    off += bytes.length;
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
