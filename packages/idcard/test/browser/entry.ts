// Page script for the headless-Chromium test: the reader with tesseract.js and the CTC line model
// on onnxruntime-web, every file served from 127.0.0.1 (worker, core WASM, traineddata, ONNX
// model, onnxruntime's WASM), nothing from a CDN.
import { IdCardReader } from '../../src/IdCardReader.js';

interface Job {
  image: { width: number; height: number; url: string };
  tesseract: { langPath: string; corePath: string; workerPath: string };
  ctcModelUrl: string;
}

async function run(job: Job) {
  const data = new Uint8Array(await (await fetch(job.image.url)).arrayBuffer());
  const model = new Uint8Array(await (await fetch(job.ctcModelUrl)).arrayBuffer());
  const t0 = performance.now();
  const reader = await IdCardReader.create({
    recognizer: 'builtin',
    lineRecognizer: {
      tesseractWorkers: 1,
      tesseract: job.tesseract,
      ctc: { model, wasmPaths: new URL('/ort/', location.href).href },
    },
  });
  try {
    const img = { width: job.image.width, height: job.image.height, channels: 3 as const, data };
    // the first read starts the workers and loads the traineddata: timed apart from the second
    const first = await reader.readSide(img);
    const t1 = performance.now();
    const r = await reader.readSide(img);
    const t2 = performance.now();
    if (r.status !== 'read') return { status: r.status, firstMs: t1 - t0, ms: t2 - t1, userAgent: navigator.userAgent };
    return {
      status: r.status,
      firstStatus: first.status,
      documentType: r.documentType,
      side: r.side,
      fields: Object.fromEntries(Object.entries(r.fields).map(([k, v]) => [k, v?.value ?? null])),
      firstMs: t1 - t0,
      ms: t2 - t1,
      userAgent: navigator.userAgent,
    };
  } finally {
    await reader.close();
  }
}

(globalThis as unknown as { idcardHarness: unknown }).idcardHarness = { run };
