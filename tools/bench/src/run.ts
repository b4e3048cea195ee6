/**
 * `pnpm bench [name...] [--quick]`: discovers `packages/* /bench/*.bench.ts`, `examples/* /bench/*.bench.ts` and `tools/* /bench/*.bench.ts`, runs the benches
 * named (`bench` or `package/bench`), or all benches of a named package that has no bench of that
 * name (all when none is given), prints their tables and writes JSON results into
 * `bench-results/`. The other words are the benches' own arguments.
 */
import { mkdirSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeMachine, formatTable, selects, type BenchDefinition } from './index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const names = argv.filter((a) => !a.startsWith('--'));

async function discover(): Promise<BenchDefinition[]> {
  const found: BenchDefinition[] = [];
  const parents = ['packages', 'examples', 'tools'].map((p) => join(root, p));
  for (const pkgDir of parents.flatMap((parent) =>
    readdirSync(parent)
      .sort()
      .map((name) => join(parent, name)),
  )) {
    const dir = join(pkgDir, 'bench');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith('.bench.ts')) continue;
      const mod = (await import(pathToFileURL(join(dir, file)).href)) as { bench?: BenchDefinition };
      if (mod.bench) found.push(mod.bench);
    }
  }
  return found;
}

const all = await discover();
const selected = names.length === 0 ? all : all.filter((b) => names.some((n) => selects(all, b, n)));
if (selected.length === 0) {
  console.error(`No bench matches ${names.join(', ')}. Known: ${all.map((b) => `${b.pkg}/${b.name}`).join(', ')}`);
  process.exit(1);
}
const outDir = join(root, 'bench-results');
mkdirSync(outDir, { recursive: true });
const machine = describeMachine();
console.log(
  `Machine: ${machine.cpuModel} × ${machine.cores}, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}\n`,
);
let failed = 0;
for (const b of selected) {
  console.log(`## ${b.pkg} / ${b.name}: ${b.description}\n`);
  const t0 = performance.now();
  try {
    const result = await b.run({
      quick,
      args: names.filter((n) => !selects(all, b, n)),
      progress: (m) => process.stderr.write(`  … ${m}\n`),
    });
    for (const t of result.tables) console.log(formatTable(t));
    for (const n of result.notes ?? []) console.log(`> ${n}`);
    // A run of some parts (`pnpm bench qr-read hard`) gets its own file, so parts run in
    // parallel do not overwrite each other's results.
    const args = names.filter((n) => !selects(all, b, n));
    const seconds = (performance.now() - t0) / 1000;
    const record = { bench: b.name, pkg: b.pkg, args, quick, machine, seconds, ...result };
    const json = `${JSON.stringify(record, null, 2)}\n`;
    const file = [b.name, ...args.map((a) => a.replace(/[^\w.-]/g, '_'))].join('-');
    writeFileSync(join(outDir, `${file}.json`), json);
    writeFileSync(join(outDir, `${file}-${String(machine.date).replace(/[:.]/g, '-')}.json`), json);
    console.log(`\n(written bench-results/${file}.json in ${record.seconds.toFixed(1)} s)\n`);
  } catch (err) {
    failed++;
    console.error(`bench ${b.name} failed:`, err);
  }
}
process.exit(failed ? 1 : 0);
