/**
 * Footprint of each public package as an integrator meets it: the tarball's size, its unpacked
 * size, and what `npm install <tarball>` brings into an empty project (number of packages from
 * the lockfile, bytes of node_modules). Install scripts are skipped (`--ignore-scripts`): a
 * native addon's compiled output (better-sqlite3) is not counted.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { folderBytes, type PublicPackage, writeBlankProject } from './packages.js';

export interface FootprintRow {
  name: string;
  packedBytes: number;
  unpackedBytes: number;
  /** Packages in the project's lockfile after the install (the package itself included). */
  installedPackages: number;
  installedBytes: number;
}

/** Sum of the file sizes listed in a .tgz. */
function unpackedBytes(tgz: string): number {
  const listing = execFileSync('tar', ['-tvzf', tgz], { encoding: 'utf8' });
  let total = 0;
  for (const line of listing.split('\n')) {
    const size = Number(line.trim().split(/\s+/)[2]);
    if (Number.isFinite(size)) total += size;
  }
  return total;
}

/**
 * @param workDir - scratch folder; one blank project per package is made and removed in it
 */
export function measureFootprint(
  workDir: string,
  tarballs: Map<string, string>,
  all: Map<string, PublicPackage>,
): FootprintRow[] {
  const rows: FootprintRow[] = [];
  for (const [name, tgz] of tarballs) {
    const dir = join(workDir, name.replace('@smart-citizen/', ''));
    rmSync(dir, { recursive: true, force: true });
    writeBlankProject({ dir, sdk: [name] }, tarballs, all);
    execFileSync(
      'npm',
      ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
      { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    rows.push({
      name,
      packedBytes: statSync(tgz).size,
      unpackedBytes: unpackedBytes(tgz),
      installedPackages: Object.keys(lock.packages).filter((k) => k !== '').length,
      installedBytes: folderBytes(join(dir, 'node_modules')),
    });
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

const mb = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(0)} kB`);

/** The README table. */
export function footprintTable(rows: readonly FootprintRow[]): string {
  return [
    '| package | packed | unpacked | installed into an empty project | packages installed |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| \`${r.name}\` | ${mb(r.packedBytes)} | ${mb(r.unpackedBytes)} | ${mb(r.installedBytes)} | ${r.installedPackages} |`,
    ),
  ].join('\n');
}
