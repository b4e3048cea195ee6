/**
 * Regenerates the generated part of THIRD_PARTY_NOTICES.md (below the marker; the hand-written
 * notes above it stay): the model files `@smart-citizen/face-models` ships (from the face
 * profiles), every WebAssembly binary and every library that installing the published packages
 * brings (`pnpm licenses list --prod` over packages/*). `pnpm notices` writes it;
 * notices.test.ts fails in CI when the file is out of date.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@smart-citizen/test-kit';
import { modelSources, shippedModelFiles } from '../../../packages/face-models/src/collectModels.js';

export const noticesPath: string = join(repoRoot, 'THIRD_PARTY_NOTICES.md');
const marker = '<!-- generated below: pnpm notices (tools/pack-proof/src/notices.ts); CI checks it is current -->';
const oldMarker = '<!-- generated below: node scripts/third-party-notices.mjs -->';

interface LicensedPackage {
  name: string;
  versions: string[];
  paths: string[];
  author?: string;
}

function prodPackages(): { licence: string; pkg: LicensedPackage }[] {
  const json = JSON.parse(
    execFileSync('pnpm', ['--filter', './packages/*', 'licenses', 'list', '--prod', '--json'], {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }),
  ) as Record<string, LicensedPackage[]>;
  return Object.entries(json)
    .flatMap(([licence, pkgs]) => pkgs.map((pkg) => ({ licence, pkg })))
    .filter(({ pkg }) => !pkg.name.startsWith('@smart-citizen/'))
    .sort((a, b) => a.pkg.name.localeCompare(b.pkg.name));
}

/** `.wasm` files of one installed package (its own files, not nested node_modules). */
function wasmFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.wasm')) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

const cell = (s: string) => s.replace(/\|/g, '/').replace(/\s+/g, ' ').trim();

/** The generated part of the file. */
export function generatedNotices(): string {
  const sources = modelSources();
  const models = shippedModelFiles().map((spec) => {
    const from = sources.find((s) => s.dir !== undefined && existsSync(join(s.dir, spec.file)));
    return `| \`${spec.file}\` | \`${spec.sha256.slice(0, 16)}…\` | ${from?.name ?? 'not found'} | ${from?.licence ?? '?'} |`;
  });
  const prod = prodPackages();
  const wasm = prod.flatMap(({ licence, pkg }) =>
    pkg.paths.flatMap((dir) =>
      wasmFiles(dir).map(
        (f) =>
          `| ${pkg.name} | ${pkg.versions.join(', ')} | \`${relative(dir, f)}\` | ${statSync(f).size.toLocaleString('en')} | ${licence} |`,
      ),
    ),
  );
  const libs = prod.map(
    ({ licence, pkg }) => `| ${pkg.name} | ${pkg.versions.join(', ')} | ${licence} | ${cell(pkg.author ?? '')} |`,
  );
  return [
    marker,
    '',
    `## Model files shipped in @smart-citizen/face-models (${models.length})`,
    '',
    "Listed from `@smart-citizen/face`'s built-in profiles (origin `models-package`); licence texts in",
    '`packages/face-models/LICENSES/`, what is known of their training data in `packages/face-models/PROVENANCE.md`.',
    '',
    '| file | SHA-256 | comes from | licence |',
    '|---|---|---|---|',
    ...models,
    '',
    `## WebAssembly binaries installed with the published packages (${wasm.length})`,
    '',
    '| package | version | file | bytes | licence |',
    '|---|---|---|---|---|',
    ...wasm,
    '',
    `## Libraries installed with the published packages (${libs.length})`,
    '',
    "Each package's licence text ships inside it under `node_modules/<name>`.",
    '',
    '| package | version | licence | author |',
    '|---|---|---|---|',
    ...libs,
    '',
  ].join('\n');
}

/** The whole file as it should be: the hand-written head, then the generated part. */
export function expectedNotices(current = readFileSync(noticesPath, 'utf8')): string {
  const head = current.split(marker)[0]?.split(oldMarker)[0] ?? '';
  return `${head}${generatedNotices()}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(noticesPath, expectedNotices());
  console.log(`wrote ${relative(repoRoot, noticesPath)}`);
}
