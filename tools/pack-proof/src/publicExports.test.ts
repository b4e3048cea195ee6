import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { publicPackages } from './packages.js';

/**
 * Pins the runtime names every public entry point exports. Package indexes re-export whole modules
 * (`export * from './x.js'`), so an internal helper exported from such a module would become public
 * API without anyone noticing; this test makes that a reviewed change (`vitest -u` rewrites the file).
 */
interface ExportTarget {
  '@smart-citizen/source'?: string;
}

function sourceEntries(dir: string): [string, string][] {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports?: Record<string, unknown> };
  return Object.entries(pkg.exports ?? {})
    .map(([sub, target]): [string, string | undefined] => [
      sub,
      typeof target === 'object' && target ? (target as ExportTarget)['@smart-citizen/source'] : undefined,
    ])
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].endsWith('.ts'));
}

describe('public exports', () => {
  it('every entry point exports exactly the pinned names', async () => {
    const names: Record<string, string[]> = {};
    for (const pkg of publicPackages().values()) {
      for (const [sub, file] of sourceEntries(pkg.dir)) {
        const mod = (await import(pathToFileURL(join(pkg.dir, file)).href)) as Record<string, unknown>;
        names[`${pkg.name}${sub === '.' ? '' : sub.slice(1)}`] = Object.keys(mod).sort();
      }
    }
    expect(Object.keys(names).length).toBeGreaterThan(10);
    await expect(`${JSON.stringify(names, null, 1)}\n`).toMatchFileSnapshot('./__snapshots__/publicExports.json');
  }, 300_000);
});
