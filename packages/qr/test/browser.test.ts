import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumArgs, chromiumPath } from '@smart-citizen/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBarcodeWriter } from '../src/testing/qrWriter.js';
import { randomCardPayload } from '../src/testing/randomCardPayload.js';
import { degradationLevels, renderCardImage } from '../src/testing/renderCardImage.js';
import { createRng } from '@smart-citizen/core';

const chromium = chromiumPath();
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The part of esbuild's API this test uses (esbuild is tsup's dependency, not ours). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles?: { text: string }[] }>;
}

/** Bundle the page script and the worker with esbuild (tsup's), against the package source. */
async function bundle(): Promise<Record<string, string>> {
  const esbuild = createRequire(require.resolve('tsup'))('esbuild') as Esbuild;
  const common = {
    bundle: true,
    write: false,
    format: 'esm' as const,
    platform: 'browser' as const,
    target: 'es2022',
    conditions: ['@smart-citizen/source'],
    external: ['node:*'],
    logLevel: 'silent' as const,
  };
  const [page, worker] = await Promise.all([
    esbuild.build({ ...common, entryPoints: [join(here, 'browser/page.ts')] }),
    esbuild.build({ ...common, entryPoints: [join(here, '../src/scanner/qrWorker.ts')] }),
  ]);
  return {
    '/page.js': page.outputFiles?.[0]?.text ?? '',
    '/worker.js': worker.outputFiles?.[0]?.text ?? '',
    '/': '<!doctype html><html><body><script type="module" src="/page.js"></script></body></html>',
  };
}

describe.skipIf(!chromium)('createQrScanner in headless Chromium (video from a canvas, Worker decoder)', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    const files = await bundle();
    const wasm = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (path === '/zxing_reader.wasm') {
        res.writeHead(200, { 'content-type': 'application/wasm' });
        res.end(wasm);
        return;
      }
      const body = files[path];
      if (body === undefined) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': path === '/' ? 'text/html' : 'text/javascript' });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it('reports the card payload after two agreeing reads', async () => {
    const { chromium: pw } = await import('playwright-core');
    const writer = await createBarcodeWriter();
    const payload = randomCardPayload(createRng(31));
    const code = await writer.write(payload.text);
    const frame = renderCardImage(code, degradationLevels[0]!, createRng(8), {
      width: 640,
      height: 480,
      layout: 'plain',
    });
    const browser = await pw.launch({ executablePath: chromium as string, args: [...chromiumArgs] });
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/`);
      await page.waitForFunction(() => typeof window.runScanner === 'function');
      const result = await page.evaluate(([f, w, m]) => window.runScanner(f, w, m), [
        { width: frame.width, height: frame.height, grey: Array.from(frame.data) },
        `${base}/worker.js`,
        `${base}/zxing_reader.wasm`,
      ] as const);
      expect(result.text).toBe(payload.text);
    } finally {
      await browser.close();
    }
  });
});
