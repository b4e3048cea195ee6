import type { Rng } from '@smart-citizen/core';

/**
 * A fuzz input: random UTF-16 text, random text over the payload alphabet, or `base` with a few
 * deletions, insertions, substitutions or a truncation.
 *
 * @param rng - Seeded random source.
 * @param base - A valid payload to mutate.
 * @returns The input.
 */
export function fuzzPayload(rng: Rng, base: string): string {
  const alphabet = '0123456789|Nguyễn Văn\u0000 \n\r\t/:.-ữ\uFEFF\uD800\u200B';
  const mode = rng.int(0, 5);
  if (mode === 0) {
    let s = '';
    const n = rng.int(0, 200);
    for (let i = 0; i < n; i++) s += String.fromCharCode(rng.int(0, 0xffff));
    return s;
  }
  if (mode === 1) {
    let s = '';
    const n = rng.int(0, 160);
    for (let i = 0; i < n; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
    return s;
  }
  const chars = [...base];
  const edits = rng.int(1, 6);
  for (let e = 0; e < edits; e++) {
    const at = rng.int(0, chars.length);
    const op = rng.int(0, 3);
    const c = alphabet[rng.int(0, alphabet.length - 1)] ?? '|';
    if (op === 0) chars.splice(at, 1);
    else if (op === 1) chars.splice(at, 0, c);
    else if (op === 2) chars[at] = c;
    else chars.length = Math.min(chars.length, at);
  }
  return chars.join('');
}
