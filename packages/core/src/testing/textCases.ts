import { expect, it } from 'vitest';

/**
 * @internal Table-driven test of a text function: each input gives its expected output, in NFC,
 * and the same input decomposed (NFD, as some keyboards and PDF extractors write it) gives the
 * same output.
 * @param fn - the function under test
 * @param cases - `[input, expected]` pairs
 */
export function itMapsEach(fn: (text: string) => string, cases: readonly (readonly [string, string])[]): void {
  it.each(cases)('%s -> %s', (input, expected) => {
    expect(fn(input)).toBe(expected.normalize('NFC'));
    expect(fn(input.normalize('NFD'))).toBe(expected.normalize('NFC'));
  });
}
