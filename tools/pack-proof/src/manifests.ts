/**
 * The publishing fields every public package.json must have, taken from one place (the root
 * package.json: repository, engines): `license`, `repository` (with the package's folder),
 * `engines`, `files`, `exports` (with `./package.json`), `sideEffects`. `--write` fills in the
 * ones that can be derived; manifests.test.ts (CI) fails on any package that lacks one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@smart-citizen/test-kit';
import { publicPackages } from './packages.js';

interface Manifest {
  name: string;
  license?: string;
  repository?: { type: string; url: string; directory?: string };
  engines?: Record<string, string>;
  files?: string[];
  exports?: Record<string, unknown>;
  sideEffects?: boolean | string[];
  [key: string]: unknown;
}

const root = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;

/** Problems of one package.json (empty when complete). */
export function manifestProblems(dir: string, pkg: Manifest): string[] {
  const problems: string[] = [];
  const folder = relative(repoRoot, dir).replaceAll('\\', '/');
  if (!pkg.license) problems.push('license is missing');
  if (pkg.repository?.url !== root.repository?.url || pkg.repository?.directory !== folder) {
    problems.push(`repository must be ${JSON.stringify({ ...root.repository, directory: folder })}`);
  }
  if (pkg.engines?.node !== root.engines?.node) problems.push(`engines.node must be ${root.engines?.node}`);
  if (typeof pkg.sideEffects !== 'boolean' && !Array.isArray(pkg.sideEffects)) problems.push('sideEffects is missing');
  if (!pkg.exports) problems.push('exports is missing');
  else if (!('./package.json' in pkg.exports)) problems.push('exports lacks "./package.json"');
  const files = pkg.files ?? [];
  if (files.length === 0) problems.push('files is missing');
  if (!files.includes('README.md')) problems.push('files lacks README.md');
  const targets = JSON.stringify(pkg.exports ?? {});
  if (targets.includes('./dist/') && !files.includes('dist')) problems.push('files lacks dist');
  return problems;
}

/** Every public package's problems, by name. */
export function allManifestProblems(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of publicPackages().values()) {
    const pkg = JSON.parse(readFileSync(join(p.dir, 'package.json'), 'utf8')) as Manifest;
    out.set(p.name, manifestProblems(p.dir, pkg));
  }
  return out;
}

/** Fill in repository and engines from the root, keeping the key order readable. */
export function writeManifests(): void {
  for (const p of publicPackages().values()) {
    const file = join(p.dir, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    const folder = relative(repoRoot, p.dir).replaceAll('\\', '/');
    const ordered: Manifest = { name: pkg.name };
    for (const [key, value] of Object.entries(pkg)) {
      if (key === 'repository' || key === 'engines') continue;
      ordered[key] = value;
      if (key === 'license') {
        ordered.repository = { type: 'git', url: root.repository?.url ?? '', directory: folder };
        ordered.engines = { node: root.engines?.node ?? '' };
      }
    }
    writeFileSync(file, `${JSON.stringify(ordered, null, 2)}\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--write')) writeManifests();
  let bad = 0;
  for (const [name, problems] of allManifestProblems()) {
    for (const p of problems) console.log(`${name}: ${p}`);
    bad += problems.length;
  }
  process.exit(bad > 0 ? 1 : 0);
}
