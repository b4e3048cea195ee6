import { type BenchTable, defineBench } from '@smart-citizen/bench';
import { type LineEngine, createLineRecognizer } from '../src/ocr/createLineRecognizer.js';
import { type LineOutcome, scoreLines } from '../src/ocr/evaluateLines.js';
import type { LineField } from '../src/ocr/lineAlphabets.js';
import { type LineGroup, lineFixtures, loadLine } from '../test/fixtures/lines.js';

/** The card field each fixture group stands for. */
const groupField: Record<LineGroup, LineField> = {
  id: 'idNumber',
  date: 'dateOfBirth',
  name: 'fullName',
  address: 'placeOfResidence',
  mrz: 'mrz',
};

const pct = (v: number) => Math.round(v * 1000) / 10;
const r1 = (v: number) => Math.round(v * 10) / 10;

async function measure(engine: LineEngine, quick: boolean, progress: (m: string) => void) {
  const fixtures = lineFixtures().filter((_, i) => !quick || i % 5 === 0);
  const images = await Promise.all(fixtures.map((f) => loadLine(f.file)));
  // IDCARD_CTC_MODEL: score another checkpoint (e.g. one a running training just exported)
  const model = process.env.IDCARD_CTC_MODEL;
  const ocr = await createLineRecognizer({ engine, tesseractWorkers: 1, ...(model ? { ctc: { model } } : {}) });
  try {
    // first call loads the engine (tesseract: one worker per language): not counted
    await ocr.recognize(images[0] as never, { field: 'idNumber' });
    await ocr.recognize(images[0] as never, { field: 'fullName' });
    const outcomes: LineOutcome[] = [];
    const cpuByGroup = new Map<string, number>();
    for (let i = 0; i < fixtures.length; i++) {
      const f = fixtures[i] as (typeof fixtures)[number];
      const c0 = process.cpuUsage();
      const r = await ocr.recognize(images[i] as never, { field: groupField[f.group] });
      const c = process.cpuUsage(c0);
      cpuByGroup.set(f.group, (cpuByGroup.get(f.group) ?? 0) + (c.user + c.system) / 1000);
      outcomes.push({ group: f.group, truth: f.text, read: r.text, confidence: r.confidence });
    }
    progress(`${engine}: ${fixtures.length} lines`);
    const cpuAll = [...cpuByGroup.values()].reduce((a, b) => a + b, 0);
    return scoreLines(outcomes).map((s) => ({
      ...s,
      msPerLine: (s.group === 'all' ? cpuAll : (cpuByGroup.get(s.group) ?? 0)) / s.lines,
      outcomes: outcomes.filter((o) => s.group === 'all' || o.group === s.group),
    }));
  } finally {
    await ocr.close();
  }
}

export const bench = defineBench({
  pkg: 'idcard',
  name: 'idcard-ocr',
  description:
    'line OCR engines on the held-out rendered card lines (test/fixtures/lines): exact-line rate, character error rate, CPU ms per line',
  async run({ quick, progress }) {
    const engines = (process.env.IDCARD_OCR_ENGINES ?? 'tesseract,ctc').split(',') as LineEngine[];
    const rows: BenchTable['rows'] = [];
    const json: Record<string, unknown> = {};
    for (const engine of engines) {
      const scores = await measure(engine, quick, progress);
      json[engine] = scores.map(({ outcomes, ...s }) => ({
        ...s,
        errors: outcomes
          .filter((o) => o.truth !== o.read)
          .slice(0, 8)
          .map((o) => ({ truth: o.truth, read: o.read })),
      }));
      for (const s of scores) {
        rows.push({
          engine,
          field: s.group,
          lines: s.lines,
          'exact %': pct(s.exact),
          'CER %': pct(s.cer),
          'CPU ms/line': r1(s.msPerLine),
        });
      }
    }
    const table: BenchTable = {
      title:
        'Line OCR per field type (CPU ms per line: process CPU time / lines; tesseract.js 1 worker, onnxruntime-node 1 thread)',
      rows,
    };
    const { loadavg } = await import('node:os');
    return {
      tables: [table],
      data: json,
      notes: [
        `load average at the end: ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' / ')}`,
      ],
    };
  },
});
