/**
 * What the headless-Chromium harnesses share: bundle a page script with esbuild, and serve it
 * with onnxruntime-web's WASM files from 127.0.0.1, cross-origin isolated (COOP + COEP, so
 * SharedArrayBuffer and WASM threads work).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRequire = createRequire(join(here, '../../../../package.json'));

/** The one esbuild call used here (esbuild comes with tsup; it is not a direct dependency). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
}

/** Bundle a browser entry (TypeScript, workspace sources) into one ES module. */
export async function bundleForBrowser(entry: string): Promise<string> {
  const esbuild = createRequire(repoRequire.resolve('tsup'))('esbuild') as Esbuild;
  const r = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    conditions: ['@smart-citizen/source'],
    external: ['onnxruntime-node', 'node:*'],
    logLevel: 'silent',
  });
  const out = r.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output');
  return out.text;
}

/** A response body and its content type. */
export interface Served {
  type: string;
  body: string | Uint8Array;
}

export interface PageServer {
  /** `http://127.0.0.1:<port>` */
  base: string;
  close(): void;
}

/**
 * Serve `/` (a page that loads the bundle), `/bundle.js`, `/ort/<file>` from the installed
 * onnxruntime-web, and whatever `route` returns for other paths (undefined → 404).
 */
export async function servePage(js: string, route: (path: string) => Served | undefined = () => undefined) {
  const ortDir = dirname(createRequire(join(here, '../../package.json')).resolve('onnxruntime-web'));
  const lookup = (path: string): Served | undefined => {
    if (path === '/')
      return { type: 'text/html', body: '<!doctype html><script type="module" src="/bundle.js"></script>' };
    if (path === '/bundle.js') return { type: 'text/javascript', body: js };
    if (/^\/ort\/[\w.-]+$/.test(path)) {
      const name = path.slice(5);
      return {
        type: name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript',
        body: readFileSync(join(ortDir, name)),
      };
    }
    return route(path);
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    let served: Served | undefined;
    try {
      served = lookup(path);
    } catch {
      served = undefined; // a missing file is a 404
    }
    if (!served) {
      // The browser's own /favicon.ico request is not a page error.
      res.writeHead(path === '/favicon.ico' ? 204 : 404);
      res.end();
      return;
    }
    res.writeHead(200, {
      'content-type': served.type,
      'cache-control': 'no-store',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end(served.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const page: PageServer = {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  };
  return page;
}
