import { fileURLToPath } from 'node:url';
import { codesIn, sourceFiles } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
import { type QrErrorCode, qrError, qrErrorCodes } from './errors.js';

// Compile-time: the list and the union agree both ways (`satisfies` checks the other way).
type Unlisted = Exclude<QrErrorCode, (typeof qrErrorCodes)[number]>;
const everyCodeListed: [Unlisted] extends [never] ? true : Unlisted = true;

describe('qrErrorCodes', () => {
  it('lists every code the package throws (parser, engines, reader, scanner and its worker, test writer)', () => {
    expect(everyCodeListed).toBe(true);
    // Throw sites: qrError(…), the parser's fail(…), a direct SmartCitizenError, and the worker's error replies.
    const site = /(?:qrError|fail|new SmartCitizenError)\(\s*'(qr\/[a-z0-9-]+)'|\bcode: [^\n]*?'(qr\/[a-z0-9-]+)'/g;
    const files = sourceFiles(fileURLToPath(new URL('.', import.meta.url)), (f) => f === 'errors.ts');
    const thrown = codesIn(files, site);
    const listed = new Set<string>(qrErrorCodes);
    expect([...thrown].filter((c) => !listed.has(c))).toEqual([]);
    // And nothing is listed that no site throws.
    expect(qrErrorCodes.filter((c) => !thrown.has(c))).toEqual([]);
  });

  it('names the package in the message and keeps the code and cause', () => {
    const cause = new Error('wasm');
    const e = qrError('qr/engine-unavailable', 'could not load zxing-wasm', { cause });
    expect(e.code).toBe('qr/engine-unavailable');
    expect(e.pkg).toBe('qr');
    expect(e.message).toBe('[@smart-citizen/qr] could not load zxing-wasm');
    expect(e.cause).toBe(cause);
  });
});
