/**
 * The workspace's public packages, packed with `pnpm pack` as they would be published, and
 * blank npm projects that install those tarballs (their `@smart-citizen/*` dependencies point at
 * the other tarballs through `overrides`; everything else comes from the npm registry).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@smart-citizen/test-kit';

/** A public package of the workspace. */
export interface PublicPackage {
  name: string;
  version: string;
  /** Absolute folder. */
  dir: string;
  /** Its `@smart-citizen/*` runtime dependencies. */
  internalDeps: string[];
}

interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
}

/** Every package under packages/ that is not private, by name. */
export function publicPackages(): Map<string, PublicPackage> {
  const out = new Map<string, PublicPackage>();
  for (const entry of readdirSync(join(repoRoot, 'packages')).sort()) {
    const dir = join(repoRoot, 'packages', entry);
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
    if (pkg.private) continue;
    const internalDeps = Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@smart-citizen/'));
    out.set(pkg.name, { name: pkg.name, version: pkg.version, dir, internalDeps });
  }
  return out;
}

/** The package names and every `@smart-citizen/*` package they pull in, transitively. */
export function internalClosure(names: readonly string[], all: Map<string, PublicPackage>): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    const pkg = all.get(name);
    if (!pkg) throw new Error(`pack-proof: ${name} is not a public workspace package`);
    seen.add(name);
    for (const d of pkg.internalDeps) visit(d);
  };
  for (const n of names) visit(n);
  return [...seen].sort();
}

/**
 * `pnpm pack` every public package into `outDir` (workspace: ranges become versions).
 * @returns tarball path by package name
 */
export function packAll(outDir: string, all = publicPackages()): Map<string, string> {
  mkdirSync(outDir, { recursive: true });
  const tarballs = new Map<string, string>();
  for (const pkg of all.values()) {
    const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8')) as { exports?: unknown };
    if (JSON.stringify(manifest.exports ?? {}).includes('./dist/') && !existsSync(join(pkg.dir, 'dist'))) {
      throw new Error(`pack-proof: ${pkg.name} has no dist/ (run pnpm build first)`);
    }
    execFileSync('pnpm', ['pack', '--pack-destination', outDir], {
      cwd: pkg.dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const file = join(outDir, `${pkg.name.replace('@', '').replace('/', '-')}-${pkg.version}.tgz`);
    if (!existsSync(file)) throw new Error(`pack-proof: pnpm pack did not write ${file}`);
    tarballs.set(pkg.name, file);
  }
  return tarballs;
}

/** A blank npm project's package.json. */
export interface BlankProject {
  dir: string;
  /** `@smart-citizen/*` packages the project depends on directly. */
  sdk: readonly string[];
  /** Other dependencies from the npm registry, name → range. */
  registry?: Record<string, string>;
  /** @default 'module' */
  type?: 'module' | 'commonjs';
  scripts?: Record<string, string>;
}

/** Write the project's package.json: SDK packages from the tarballs, internal dependencies overridden to them too. */
export function writeBlankProject(project: BlankProject, tarballs: Map<string, string>, all = publicPackages()): void {
  mkdirSync(project.dir, { recursive: true });
  const tgz = (name: string) => {
    const file = tarballs.get(name);
    if (!file) throw new Error(`pack-proof: no tarball for ${name}`);
    return `file:${file}`;
  };
  const closure = internalClosure(project.sdk, all);
  const pkg = {
    name: 'blank-portal',
    version: '1.0.0',
    private: true,
    type: project.type ?? 'module',
    ...(project.scripts ? { scripts: project.scripts } : {}),
    dependencies: {
      ...Object.fromEntries(project.sdk.map((n) => [n, tgz(n)])),
      ...(project.registry ?? {}),
    },
    overrides: Object.fromEntries(closure.filter((n) => !project.sdk.includes(n)).map((n) => [n, tgz(n)])),
  };
  writeFileSync(join(project.dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}

/**
 * `npm install` in the project: tarballs plus the npm registry, nothing else. onnxruntime-node's
 * install script would fetch CUDA libraries from outside npm; `ONNXRUNTIME_NODE_INSTALL=skip`
 * keeps its CPU binaries, which ship inside the npm package.
 */
export function npmInstall(dir: string): void {
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: dir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', npm_config_update_notifier: 'false' },
  });
}

/** Bytes of every file under a folder (sizes as stored, not disk blocks). */
export function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}
