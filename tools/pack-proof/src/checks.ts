/**
 * Package checks on the packed tarballs: publint (strict) and Are The Types Wrong (attw) for
 * every package, and browser bundles (esbuild) showing what an import pulls in: `qr` alone
 * without onnxruntime, `forms` without pdf-lib unless `@smart-citizen/forms/pdf` is imported.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '@smart-citizen/test-kit';
import { build } from 'esbuild';

/** Packages that have no JavaScript entry (data only): attw has no types to check there. */
const dataOnly = new Set(['@smart-citizen/face-models']);

/**
 * Entry points that are ES modules only by nature, checked with attw's `esm-only` profile (the
 * rest of the package with `node16`: ESM and CommonJS, node10 not required for subpaths).
 */
const esmOnlyEntries: Record<string, string[]> = {
  // A module Worker script: `new Worker(url, { type: 'module' })`; it has no CommonJS form.
  '@smart-citizen/qr': ['./worker'],
};

/** publint --strict and attw on each tarball; throws with every failing package's output. */
export function lintTarballs(tarballs: Map<string, string>): { name: string; publint: string; attw: string }[] {
  const rows: { name: string; publint: string; attw: string }[] = [];
  const failures: string[] = [];
  const bin = (name: string) => join(repoRoot, 'node_modules/.bin', name);
  const run = (cmd: string, args: string[]): { ok: boolean; out: string } => {
    try {
      return { ok: true, out: execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  };
  for (const [name, tgz] of tarballs) {
    const publint = run(bin('publint'), ['run', tgz, '--strict', '--level', 'suggestion']);
    const cleanPublint = publint.ok && !/suggestion|warning|error/i.test(publint.out.replace(/All good!/, ''));
    if (!cleanPublint) failures.push(`publint ${name}:\n${publint.out}`);
    let attwState = 'n/a (data only)';
    if (!dataOnly.has(name)) {
      const esmOnly = esmOnlyEntries[name] ?? [];
      const common = [tgz, '--format', 'ascii', '--no-color'];
      const runs = [
        run(bin('attw'), [
          ...common,
          '--profile',
          'node16',
          ...(esmOnly.length > 0 ? ['--exclude-entrypoints', ...esmOnly] : []),
        ]),
        ...(esmOnly.length > 0
          ? [run(bin('attw'), [...common, '--profile', 'esm-only', '--entrypoints', ...esmOnly])]
          : []),
      ];
      for (const attw of runs) if (!attw.ok) failures.push(`attw ${name}:\n${attw.out}`);
      attwState = runs.every((r) => r.ok)
        ? esmOnly.length > 0
          ? `clean (${esmOnly.join(', ')}: ESM only)`
          : 'clean'
        : 'problems';
    }
    rows.push({ name, publint: cleanPublint ? 'clean' : 'problems', attw: attwState });
  }
  if (failures.length > 0) throw new Error(`pack-proof: package checks failed\n${failures.join('\n')}`);
  return rows;
}

/** One browser bundle: what it imports, its size, and whether a forbidden package got in. */
export interface BundleCheck {
  name: string;
  code: string;
  /** Package names whose files must not be in the bundle. */
  forbidden: string[];
  /** Package names whose files must be in it (shows the check can see them). */
  required: string[];
}

export interface BundleResult {
  name: string;
  bytes: number;
  gzipBytes: number;
  forbiddenFound: string[];
  requiredMissing: string[];
}

export const bundleChecks: BundleCheck[] = [
  {
    name: 'qr: import * from @smart-citizen/qr',
    code: "import * as qr from '@smart-citizen/qr'; globalThis.sdk = qr;",
    forbidden: ['onnxruntime-web', 'onnxruntime-node', 'onnxruntime-common', 'pdf-lib'],
    required: ['zxing-wasm'],
  },
  {
    name: 'qr: readCardQr only',
    code: "import { readCardQr } from '@smart-citizen/qr'; globalThis.sdk = readCardQr;",
    forbidden: ['onnxruntime-web', 'onnxruntime-common', 'pdf-lib'],
    required: ['zxing-wasm'],
  },
  {
    name: 'forms: import * from @smart-citizen/forms',
    code: "import * as forms from '@smart-citizen/forms'; globalThis.sdk = forms;",
    forbidden: ['pdf-lib', '@pdf-lib/fontkit', 'onnxruntime-web'],
    required: ['ajv'],
  },
  {
    name: 'forms/pdf: renderFormPdf',
    code: "import { renderFormPdf } from '@smart-citizen/forms/pdf'; globalThis.sdk = renderFormPdf;",
    forbidden: ['onnxruntime-web'],
    required: ['pdf-lib'],
  },
  {
    name: 'face: FaceVerifier',
    code: "import { FaceVerifier } from '@smart-citizen/face'; globalThis.sdk = FaceVerifier;",
    forbidden: ['pdf-lib', 'zxing-wasm', 'onnxruntime-node'],
    required: ['onnxruntime-web'],
  },
];

/** The package a bundled file belongs to, from its node_modules path. */
function packageOf(path: string): string | undefined {
  // The last node_modules segment (pnpm's store paths have several).
  const all = [...path.replaceAll('\\', '/').matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)];
  return all.at(-1)?.[1];
}

/**
 * Bundle each check for the browser (minified ESM, one file, Node built-ins external since the
 * SDK only reaches them on its lazy Node paths), resolving the packages from `resolveDir`.
 */
export async function runBundleChecks(resolveDir: string, checks = bundleChecks): Promise<BundleResult[]> {
  const results: BundleResult[] = [];
  for (const check of checks) {
    const out = await build({
      stdin: { contents: check.code, resolveDir, sourcefile: 'entry.js', loader: 'js' },
      bundle: true,
      write: false,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      metafile: true,
      logLevel: 'silent',
      external: ['node:*', 'path', 'url', 'module', 'fs', 'fs/promises', 'crypto', 'os', 'worker_threads'],
    });
    const packages = new Set(
      Object.keys(out.metafile.inputs)
        .map(packageOf)
        .filter((p): p is string => p !== undefined),
    );
    const code = out.outputFiles[0]?.contents ?? new Uint8Array();
    results.push({
      name: check.name,
      bytes: code.byteLength,
      gzipBytes: gzipSync(code).byteLength,
      forbiddenFound: check.forbidden.filter((p) => packages.has(p)),
      requiredMissing: check.required.filter((p) => !packages.has(p)),
    });
  }
  const bad = results.filter((r) => r.forbiddenFound.length > 0 || r.requiredMissing.length > 0);
  if (bad.length > 0) throw new Error(`pack-proof: bundle checks failed: ${JSON.stringify(bad)}`);
  return results;
}
