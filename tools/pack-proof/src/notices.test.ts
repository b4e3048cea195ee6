import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedNotices, noticesPath } from './notices.js';

describe('THIRD_PARTY_NOTICES.md', () => {
  it('is current: shipped models, WebAssembly binaries and libraries (run `pnpm notices` after changing dependencies)', () => {
    const current = readFileSync(noticesPath, 'utf8');
    const expected = expectedNotices(current);
    expect(expected).toContain('fr_feature.onnx');
    expect(expected).toMatch(/zxing_reader\.wasm/);
    expect(current).toBe(expected);
  });
});
