import { fileURLToPath } from 'node:url';
import { codesIn, sourceFiles } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
import { CliUsageError, cliError, cliErrorCodes } from './errors.js';

describe('cliErrorCodes', () => {
  it('lists every cli/* code the CLI source names (thrown, or reported per file), and only those', () => {
    // errors.ts (the list itself) is left out, so a listed code nothing raises shows.
    const files = sourceFiles(fileURLToPath(new URL('.', import.meta.url)), (f) => f === 'errors.ts');
    const named = codesIn(files, /'(cli\/[a-z0-9-]+)'/g);
    expect(named.size).toBeGreaterThan(5);
    const listed = new Set<string>(cliErrorCodes);
    expect([...named].filter((c) => !listed.has(c))).toEqual([]);
    expect(cliErrorCodes.filter((c) => !named.has(c))).toEqual([]);
  });

  it('names the CLI in the message', () => {
    const e = new CliUsageError('missing <image>');
    expect(e.code).toBe('cli/usage');
    expect(e.message).toBe('[@smart-citizen/cli] missing <image>');
    const cause = new Error('EACCES');
    expect(cliError('cli/write-failed', 'cannot write x.pdf', { cause })).toMatchObject({ pkg: 'cli', cause });
  });
});
