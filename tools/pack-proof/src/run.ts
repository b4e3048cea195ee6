/**
 * `pnpm pack-proof [--node] [--vite] [--footprint]` (all three when none is given): pack every
 * public package, then prove the tarballs work outside the workspace. Needs `pnpm build` first.
 * Work files go to .tmp/pack-proof/ (kept for inspection).
 */
import { join } from 'node:path';
import { repoRoot } from '@smart-citizen/test-kit';
import { nodeProof } from './nodeProof.js';
import { packAll, publicPackages } from './packages.js';

const args = new Set(process.argv.slice(2));
const all = args.size === 0;
const work = join(repoRoot, '.tmp/pack-proof');
const t0 = Date.now();
const stamp = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

const packages = publicPackages();
const tarballs = packAll(join(work, 'tarballs'), packages);
console.log(`pack-proof: packed ${tarballs.size} packages (${stamp()})`);

if (all || args.has('--node')) {
  const r = nodeProof(join(work, 'node'), tarballs);
  console.log(`pack-proof: node ESM ${JSON.stringify(r.esm)}`);
  console.log(`pack-proof: node CJS ${JSON.stringify(r.cjs)}`);
  console.log(`pack-proof: node project passed (${stamp()})`);
}
