import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { coreErrorCodes } from './coreErrorCodes.js';

const packages = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('coreErrorCodes', () => {
  it('lists every code thrown with a literal in core and in the store drivers', () => {
    const thrown = new Set<string>();
    for (const dir of ['core/src', 'adapter-sqlite/src', 'adapter-postgres/src/store']) {
      for (const file of sources(join(packages, dir))) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/new SmartCitizenError(?:<[^>]*>)?\(\s*'([a-z]+\/[a-z0-9-]+)'/g)) {
          thrown.add(m[1] as string);
        }
      }
    }
    expect(thrown.size).toBeGreaterThan(20);
    const listed = new Set<string>(coreErrorCodes);
    expect([...thrown].filter((c) => !listed.has(c))).toEqual([]);
  });
});
