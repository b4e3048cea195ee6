/**
 * `pnpm pack-proof [--node] [--vite] [--lint] [--bundles] [--footprint]`: pack every public
 * package (needs `pnpm build` first), then prove the tarballs work outside the workspace. With
 * no flag: node, vite, lint and bundles (what .ci/run runs); `--footprint` (slow: one npm
 * install per package) prints the README's footprint table and writes bench-results/footprint.json.
 * Work files go to .tmp/pack-proof/ (kept for inspection).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@smart-citizen/test-kit';
import { lintTarballs, runBundleChecks } from './checks.js';
import { footprintTable, measureFootprint } from './footprint.js';
import { nodeProof } from './nodeProof.js';
import { packAll, publicPackages } from './packages.js';
import { viteProof } from './viteProof.js';

const args = new Set(process.argv.slice(2));
const want = (flag: string) => (args.size === 0 && flag !== '--footprint') || args.has(flag);
const work = join(repoRoot, '.tmp/pack-proof');
const t0 = Date.now();
const stamp = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

const packages = publicPackages();
const tarballs = packAll(join(work, 'tarballs'), packages);
console.log(`pack-proof: packed ${tarballs.size} packages (${stamp()})`);

if (want('--lint')) {
  const rows = lintTarballs(tarballs);
  for (const r of rows) console.log(`pack-proof: ${r.name}: publint ${r.publint}, attw ${r.attw}`);
  console.log(`pack-proof: publint and attw passed for ${rows.length} packages (${stamp()})`);
}

if (want('--node') || want('--bundles')) {
  const nodeDir = join(work, 'node');
  const r = nodeProof(nodeDir, tarballs);
  console.log(`pack-proof: node ESM ${JSON.stringify(r.esm)}`);
  console.log(`pack-proof: node CJS ${JSON.stringify(r.cjs)}`);
  console.log(`pack-proof: node project passed (${stamp()})`);
  if (want('--bundles')) {
    // Bundled from the blank project, i.e. from the installed tarballs.
    console.log('| browser bundle (esbuild, minified ESM) | bytes | gzip |');
    console.log('|---|---|---|');
    for (const b of await runBundleChecks(nodeDir)) console.log(`| ${b.name} | ${kb(b.bytes)} | ${kb(b.gzipBytes)} |`);
    console.log(`pack-proof: bundle checks passed (${stamp()})`);
  }
}

if (want('--vite')) {
  const r = await viteProof(join(work, 'vite'), tarballs);
  const { qr, face } = r.page as { qr: { idNumber?: string }; face: unknown };
  console.log(`pack-proof: vite page qr=${qr.idNumber} face=${JSON.stringify(face)}`);
  console.log(
    `pack-proof: vite dist ${(r.distBytes / 1e6).toFixed(1)} MB (assets/ ${(r.jsBytes / 1e6).toFixed(1)} MB), ${r.requests} requests, all same-origin (${stamp()})`,
  );
}

if (want('--footprint')) {
  const rows = measureFootprint(join(work, 'footprint'), tarballs, packages);
  console.log(footprintTable(rows));
  mkdirSync(join(repoRoot, 'bench-results'), { recursive: true });
  writeFileSync(join(repoRoot, 'bench-results/footprint.json'), `${JSON.stringify(rows, null, 2)}\n`);
  console.log(`pack-proof: footprint measured (${stamp()})`);
}
