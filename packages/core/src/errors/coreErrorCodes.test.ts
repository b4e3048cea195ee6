import { fileURLToPath } from 'node:url';
import { codesIn, sourceFiles } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
import { coreErrorCodes } from './coreErrorCodes.js';

const packages = fileURLToPath(new URL('../../../', import.meta.url));

describe('coreErrorCodes', () => {
  it('lists every code thrown with a literal in core and in the store drivers', () => {
    const dirs = ['core/src', 'adapter-sqlite/src', 'adapter-postgres/src/store'];
    const files = dirs.flatMap((dir) => sourceFiles(`${packages}${dir}`));
    const thrown = codesIn(files, /new SmartCitizenError(?:<[^>]*>)?\(\s*'([a-z]+\/[a-z0-9-]+)'/g);
    expect(thrown.size).toBeGreaterThan(20);
    const listed = new Set<string>(coreErrorCodes);
    expect([...thrown].filter((c) => !listed.has(c))).toEqual([]);
  });
});
