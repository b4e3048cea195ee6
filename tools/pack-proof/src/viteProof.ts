/**
 * (b) A blank Vite project installs the tarballs of @smart-citizen/qr and @smart-citizen/face
 * with npm, copies the SDK's binary assets into its own public/ (fixtures/vite/copy-assets.mjs),
 * builds for production, and the built page reads a card QR and verifies a face in headless
 * Chromium. Every request the page makes is checked to stay on the page's origin (no CDN).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromiumArgs, chromiumPath, repoRoot, sharedData } from '@smart-citizen/test-kit';
import { folderBytes, npmInstall, writeBlankProject } from './packages.js';

/** The Vite version the blank project builds with. */
export const viteVersion = '7.3.8';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};

/** Result of the browser run. */
export interface ViteProofResult {
  page: Record<string, unknown>;
  /** Bytes of dist/ (JS + WASM + models + test images). */
  distBytes: number;
  /** Bytes of the JavaScript in dist/assets. */
  jsBytes: number;
  /** Requests the page made (all on its own origin). */
  requests: number;
}

/** Serve a folder on 127.0.0.1 (a random port) until closed. */
function serveStatic(root: string) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise<{ base: string; close: () => void }>((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({ base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() }),
    );
  });
}

/**
 * @param workDir - folder for the project (removed first)
 * @param tarballs - from packAll
 */
export async function viteProof(workDir: string, tarballs: Map<string, string>): Promise<ViteProofResult> {
  const deepface = sharedData('face/deepface');
  const chromium = chromiumPath();
  if (!deepface || !chromium) throw new Error('pack-proof: the Vite proof needs ../shared/data/face and Chromium');
  rmSync(workDir, { recursive: true, force: true });
  cpSync(join(repoRoot, 'tools/pack-proof/fixtures/vite'), workDir, { recursive: true });
  writeBlankProject(
    {
      dir: workDir,
      sdk: ['@smart-citizen/qr', '@smart-citizen/face'],
      registry: { vite: viteVersion },
      scripts: { build: 'node copy-assets.mjs && vite build' },
    },
    tarballs,
  );
  npmInstall(workDir);
  const proof = join(workDir, 'public/proof');
  mkdirSync(proof, { recursive: true });
  cpSync(join(repoRoot, 'examples/data/cccd-qr-photo.jpg'), join(proof, 'card.jpg'));
  cpSync(join(deepface, 'img1.jpg'), join(proof, 'same-1.jpg'));
  cpSync(join(deepface, 'img2.jpg'), join(proof, 'same-2.jpg'));
  cpSync(join(deepface, 'img3.jpg'), join(proof, 'other.jpg'));
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: workDir, stdio: ['ignore', 'inherit', 'inherit'] });
  const dist = join(workDir, 'dist');

  const server = await serveStatic(dist);
  const { chromium: pw } = await import('playwright-core');
  const browser = await pw.launch({ executablePath: chromium, args: [...chromiumArgs] });
  const foreign: string[] = [];
  let requests = 0;
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => {
      requests++;
      if (route.request().url().startsWith(server.base)) return route.continue();
      foreign.push(route.request().url());
      return route.abort();
    });
    await page.goto(`${server.base}/`);
    await page.waitForFunction(() => 'proofResult' in globalThis, undefined, { timeout: 180_000 });
    const result = (await page.evaluate(() => (globalThis as { proofResult?: unknown }).proofResult)) as Record<
      string,
      unknown
    >;
    if (foreign.length > 0) throw new Error(`pack-proof: the page requested other origins: ${foreign.join(', ')}`);
    if (!result.ok) throw new Error(`pack-proof: the Vite page failed: ${String(result.error)}`);
    const face = result.face as Record<'same' | 'other', { status: string; match: boolean }>;
    const qr = result.qr as { text?: string };
    const expected = readFileSync(join(repoRoot, 'examples/data/cccd-qr-photo.txt'), 'utf8').trim();
    if (qr.text !== expected) throw new Error('pack-proof: the Vite page read another QR text');
    if (!face.same.match || face.other.match || face.same.status !== 'compared') {
      throw new Error(`pack-proof: the Vite page's face results are wrong: ${JSON.stringify(face)}`);
    }
    return { page: result, distBytes: folderBytes(dist), jsBytes: folderBytes(join(dist, 'assets')), requests };
  } finally {
    await browser.close();
    server.close();
  }
}
