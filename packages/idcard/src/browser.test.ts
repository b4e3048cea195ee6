import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@smart-citizen/core';
import { decodeImage } from '@smart-citizen/image';
import { chromiumArgs, chromiumPath } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
// the face package's harness bundles a page script with esbuild and serves it cross-origin isolated
import { bundleForBrowser, servePage } from '../../face/test/browser/servePage.js';
import { generateCardSide, loadGeneratorData, photographCard } from './testing/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const chromium = chromiumPath();

describe.skipIf(!chromium)(
  'browser build in headless Chromium (tesseract.js and onnxruntime-web served locally)',
  () => {
    it('reads a card photo in the page as in Node: number and date of birth exact', async () => {
      const data = await loadGeneratorData(undefined);
      const rng = createRng(5);
      const { card } = await generateCardSide('cmnd-9', 'front', data, rng);
      const photo = await photographCard(card.image, 1, createRng(9));
      const rgb = await decodeImage(photo.jpeg);
      const tesseractDir = dirname(require.resolve('tesseract.js/package.json'));
      const coreDir = dirname(
        createRequire(join(tesseractDir, 'package.json')).resolve('tesseract.js-core/package.json'),
      );
      const langDir = (lang: string) =>
        join(dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`)), '4.0.0_best_int');
      const files = new Map<string, () => { type: string; body: Uint8Array }>([
        ['/img', () => ({ type: 'application/octet-stream', body: rgb.data })],
        [
          '/ctc/idcard-line.onnx',
          () => ({ type: 'application/octet-stream', body: readFileSync(join(here, '../models/idcard-line.onnx')) }),
        ],
        [
          '/tess/worker.min.js',
          () => ({ type: 'text/javascript', body: readFileSync(join(tesseractDir, 'dist/worker.min.js')) }),
        ],
      ]);
      const server = await servePage(await bundleForBrowser(join(here, '../test/browser/entry.ts')), (path) => {
        const f = files.get(path);
        if (f) return f();
        const core = /^\/core\/([\w.-]+)$/.exec(path)?.[1];
        if (core)
          return {
            type: core.endsWith('.wasm') ? 'application/wasm' : 'text/javascript',
            body: readFileSync(join(coreDir, core)),
          };
        const lang = /^\/lang\/(vie|eng)\.traineddata\.gz$/.exec(path)?.[1];
        if (lang)
          return { type: 'application/gzip', body: readFileSync(join(langDir(lang), `${lang}.traineddata.gz`)) };
        return undefined;
      });
      const requested: string[] = [];
      try {
        const { chromium: pw } = await import('playwright-core');
        const browser = await pw.launch({ executablePath: chromium as string, args: [...chromiumArgs] });
        try {
          const page = await browser.newPage();
          page.on('request', (r) => requested.push(r.url()));
          await page.goto(`${server.base}/`);
          await page.waitForFunction(() => 'idcardHarness' in globalThis, undefined, { timeout: 60_000 });
          const b = server.base;
          const r = (await page.evaluate(
            (job) =>
              (
                globalThis as unknown as { idcardHarness: { run: (x: typeof job) => Promise<unknown> } }
              ).idcardHarness.run(job),
            {
              image: { width: rgb.width, height: rgb.height, url: `${b}/img` },
              tesseract: { langPath: `${b}/lang`, corePath: `${b}/core`, workerPath: `${b}/tess/worker.min.js` },
              ctcModelUrl: `${b}/ctc/idcard-line.onnx`,
            },
          )) as {
            status: string;
            documentType: string;
            fields: Record<string, string | null>;
            ms: number;
            userAgent: string;
          };
          expect(r.userAgent).toContain('Chrome');
          expect(r.status).toBe('read');
          expect(r.documentType).toBe('cmnd-9');
          expect(r.fields.idNumber).toBe(card.fields.idNumber);
          expect(r.fields.dateOfBirth).toBe(card.fields.dateOfBirth);
          // offline: every network request went to the local server (the worker starts from a blob: URL)
          expect(requested.filter((u) => /^(https?|wss?):/.test(u) && !u.startsWith(b))).toEqual([]);
          console.log(`SCAN browser: ${Math.round(r.ms)} ms wall for the second read of one side`);
        } finally {
          await browser.close();
        }
      } finally {
        server.close();
      }
    }, 300_000);
  },
);
